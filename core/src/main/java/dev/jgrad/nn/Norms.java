package dev.jgrad.nn;

import dev.jgrad.Tensor;
import java.util.Arrays;

/** Argument checks and the evaluation-mode form shared by the normalisation layers. */
final class Norms {
    private Norms() {
    }

    /** @return the channel count {@code C} of {@code x [N, C, ...]}, after checking every statistic and parameter */
    static int checkBatchNorm(String op, Tensor x, Tensor rm, Tensor rv, Tensor w, Tensor b, boolean training) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException(op + ": input must be [N, C, ...], got shape " + Arrays.toString(x.shape()));
        }
        int c = x.shape()[1];
        String[] names = {"runningMean", "runningVar", "weight", "bias"};
        Tensor[] ts = {rm, rv, w, b};
        for (int i = 0; i < ts.length; i++) {
            Agree.same(op, "input", x, names[i], ts[i]);
            if (ts[i] != null && !Arrays.equals(ts[i].shape(), new int[] {c})) {
                throw new IllegalArgumentException(op + ": " + names[i] + " must have shape [" + c + "] for input "
                        + Arrays.toString(x.shape()) + ", got " + Arrays.toString(ts[i].shape()));
            }
        }
        if (training && x.numel() / Math.max(c, 1) <= 1) {
            throw new IllegalArgumentException(op + ": expected more than 1 value per channel when training, got input "
                    + "shape " + Arrays.toString(x.shape()));
        }
        if (!training && (rm == null || rv == null)) {
            throw new IllegalArgumentException(op + ": evaluation mode needs runningMean and runningVar");
        }
        return c;
    }

    /** @return the trailing axes that {@code normalizedShape} covers in {@code x} */
    static int[] checkLayerNorm(String op, Tensor x, int[] normalizedShape, Tensor w, Tensor b) {
        int k = normalizedShape.length;
        int[] s = x.shape();
        boolean ok = k > 0 && k <= s.length
                && Arrays.equals(Arrays.copyOfRange(s, s.length - k, s.length), normalizedShape);
        if (!ok) {
            throw new IllegalArgumentException(op + ": input shape " + Arrays.toString(s) + " must end with the"
                    + " normalized shape " + Arrays.toString(normalizedShape));
        }
        Agree.same(op, "input", x, "weight", w);
        Agree.same(op, "input", x, "bias", b);
        for (Tensor t : new Tensor[] {w, b}) {
            if (t != null && !Arrays.equals(t.shape(), normalizedShape)) {
                throw new IllegalArgumentException(op + ": weight and bias must have the normalized shape "
                        + Arrays.toString(normalizedShape) + ", got " + Arrays.toString(t.shape()));
            }
        }
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) {
            axes[i] = s.length - k + i;
        }
        return axes;
    }

    /**
     * Evaluation mode: {@code x * scale + shift} with {@code scale = weight / sqrt(runningVar + eps)}
     * and {@code shift = bias - runningMean * scale}, per channel: two passes over {@code x}, and
     * differentiable in {@code x}, weight and bias by composition. {@code x} is viewed as rows
     * {@code (n, c)} of {@code H*W} elements with the per-channel values spread to a column, so both
     * ops take the backend's column-broadcast path rather than a strided {@code [1, C, 1, 1]} broadcast.
     */
    static Tensor affineEval(Tensor x, Tensor rm, Tensor rv, Tensor w, Tensor b, double eps) {
        Tensor scale = rv.add(eps).rsqrt();
        if (w != null) {
            scale = scale.mul(w);
        }
        Tensor shift = rm.mul(scale).neg();
        if (b != null) {
            shift = shift.add(b);
        }
        int[] s = x.shape();
        int n = s[0], c = s[1], cols = 1;
        for (int d = 2; d < s.length; d++) {
            cols *= s[d];
        }
        Tensor rows = x.contiguous().reshape(n * c, cols);
        return rows.mul(column(scale, n, c)).add(column(shift, n, c)).reshape(s);
    }

    /** @return the per-channel {@code v [C]} repeated for each of {@code n} samples, as a column {@code [n*C, 1]} */
    private static Tensor column(Tensor v, int n, int c) {
        return v.reshape(1, c).expand(n, c).contiguous().reshape(n * c, 1);
    }
}
