package dev.jgrad.nn;

import dev.jgrad.Tensor;
import java.util.Arrays;

/**
 * Merges dims {@code startDim..endDim} into one, PyTorch's {@code nn.Flatten} (defaults 1 and -1:
 * {@code [N, C, H, W] -> [N, C*H*W]}). A view when the input's layout allows, else a copy.
 */
public class Flatten extends Module {
    private final int start;
    private final int end;

    /** Flattens every dim after the batch dim. */
    public Flatten() {
        this(1, -1);
    }

    /** @param startDim first dim merged; @param endDim last dim merged (negative counts from the end) */
    public Flatten(int startDim, int endDim) {
        this.start = startDim;
        this.end = endDim;
    }

    /** @return the input with dims {@code startDim..endDim} merged */
    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        int r = Math.max(s.length, 1);
        int a = start < 0 ? start + r : start;
        int b = end < 0 ? end + r : end;
        if (a < 0 || b >= r || a > b) {
            throw new IllegalArgumentException("Flatten(" + start + ", " + end + "): dims out of range for input shape "
                    + Arrays.toString(s));
        }
        if (s.length == 0) {
            return input.reshape(1);
        }
        int[] out = new int[s.length - (b - a)];
        int k = 0;
        for (int d = 0; d < a; d++) {
            out[k++] = s[d];
        }
        int merged = 1;
        for (int d = a; d <= b; d++) {
            merged *= s[d];
        }
        out[k++] = merged;
        for (int d = b + 1; d < s.length; d++) {
            out[k++] = s[d];
        }
        return input.reshape(out);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + start + ", end_dim=" + end;
    }
}
