package dev.jgrad;

import dev.jgrad.backend.Window;

/**
 * 2-D pooling composed of recorded ops: the windows are unfolded ({@link ConvRules#unfold}, padded
 * with -inf for max and 0 for average) into {@code [N, C, k·k, oH, oW]} and reduced over the window
 * axis, so max pooling's gradient goes to the first maximal element of each window (as PyTorch's
 * argmax) and every backward differentiates again. Adaptive pooling is two products with constant
 * averaging matrices, {@code P_H · x · P_Wᵀ}.
 */
final class PoolRules {
    private PoolRules() {
    }

    /** {@code torch.nn.functional.max_pool2d(x, kernel, stride, padding)} for {@code [N, C, H, W]} or {@code [C, H, W]}. */
    static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return pool("maxPool2d", x, kernel, stride, padding, true);
    }

    /** {@code torch.nn.functional.avg_pool2d(x, kernel, stride, padding)} with {@code count_include_pad=True}. */
    static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        return pool("avgPool2d", x, kernel, stride, padding, false);
    }

    private static Tensor pool(String op, Tensor x, int kernel, int stride, int padding, boolean max) {
        Checks.floating(op, x);
        Tensor x4 = batched(op, x);
        if (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException(op + ": need kernel >= 1, stride >= 1 and 0 <= padding <= kernel / 2, got"
                    + " kernel " + kernel + ", stride " + stride + ", padding " + padding + " for input "
                    + Checks.str(x.shape));
        }
        Window w = ConvRules.window(op, x4, kernel, stride, padding, 1);
        int n = x4.shape[0], c = x4.shape[1], oh = w.outH(x4.shape[2]), ow = w.outW(x4.shape[3]);
        Tensor windows = ConvRules.unfold(x4, w, max ? Double.NEGATIVE_INFINITY : 0, ConvRules.NATURAL_ORDER)
                .reshape(n, c, kernel * kernel, oh, ow);
        Tensor y = max ? windows.max(2, false) : windows.mean(2, false);
        return x.dim() == 3 ? y.squeeze(0) : y;
    }

    /**
     * {@code torch.nn.functional.adaptive_avg_pool2d(x, outputSize)}: output cell {@code (i, j)} is
     * the mean of rows {@code floor(i·H/oH)} to {@code ceil((i+1)·H/oH)} (exclusive) and likewise for
     * columns. When the output size divides the input it is an ordinary average pool.
     */
    static Tensor adaptiveAvgPool2d(Tensor x, int outputSize) {
        String op = "adaptiveAvgPool2d";
        Checks.floating(op, x);
        Tensor x4 = batched(op, x);
        int h = x4.shape[2], w = x4.shape[3];
        if (outputSize < 1) {
            throw new IllegalArgumentException(op + ": output size must be >= 1, got " + outputSize + " for input "
                    + Checks.str(x.shape));
        }
        if (h == 0 || w == 0) {
            throw new IllegalArgumentException(op + ": input " + Checks.str(x.shape) + " has an empty spatial dim");
        }
        Tensor y;
        if (h % outputSize == 0 && w % outputSize == 0 && h / outputSize == w / outputSize) {
            y = avgPool2d(x4, h / outputSize, h / outputSize, 0);
        } else {
            y = averaging(x4, outputSize, h).matmul(x4).matmul(averaging(x4, outputSize, w).transpose(0, 1));
        }
        return x.dim() == 3 ? y.squeeze(0) : y;
    }

    /** @return {@code [out, in]} with row {@code i} averaging PyTorch's adaptive window {@code i} */
    private static Tensor averaging(Tensor like, int out, int in) {
        double[] p = new double[out * in];
        for (int i = 0; i < out; i++) {
            int start = Math.floorDiv(i * in, out), end = -Math.floorDiv(-(i + 1) * in, out);
            for (int k = start; k < end; k++) {
                p[i * in + k] = 1.0 / (end - start);
            }
        }
        int[] shape = {out, in};
        if (like.dtype() == DType.F64) {
            return Factories.wrap(like.device(), like.backend().upload(p), shape, DType.F64);
        }
        float[] f = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            f[i] = (float) p[i];
        }
        return Factories.wrap(like.device(), like.backend().upload(f), shape, DType.F32);
    }

    private static Tensor batched(String op, Tensor x) {
        if (x.dim() == 4) {
            return x;
        }
        if (x.dim() == 3) {
            return x.unsqueeze(0);
        }
        throw new IllegalArgumentException(op + ": expected input [N, C, H, W] or [C, H, W], got " + Checks.str(x.shape)
                + " (rank " + x.dim() + ")");
    }
}
