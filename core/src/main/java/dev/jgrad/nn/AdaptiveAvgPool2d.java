package dev.jgrad.nn;

import dev.jgrad.Tensor;
import java.util.Arrays;

/**
 * PyTorch's {@code nn.AdaptiveAvgPool2d(outputSize)}: averages over {@code outputSize×outputSize}
 * near-equal windows, whatever the input's height and width ({@link Functional#adaptiveAvgPool2d}).
 * No parameters.
 */
public class AdaptiveAvgPool2d extends Module {
    private final int outputSize;

    /** @param outputSize output height and width, {@code >= 1} */
    public AdaptiveAvgPool2d(int outputSize) {
        if (outputSize < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: outputSize must be >= 1, got " + outputSize);
        }
        this.outputSize = outputSize;
    }

    /**
     * @param input {@code [N, C, H, W]} or {@code [C, H, W]} with {@code H, W >= 1}
     * @return {@code [N, C, outputSize, outputSize]} (or without N)
     */
    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        if ((s.length != 4 && s.length != 3) || s[s.length - 1] == 0 || s[s.length - 2] == 0) {
            throw new IllegalArgumentException(this + ": expected input [N, C, H, W] or [C, H, W] with H, W >= 1, got "
                    + Arrays.toString(s));
        }
        return Functional.adaptiveAvgPool2d(input, outputSize);
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + outputSize;
    }
}
