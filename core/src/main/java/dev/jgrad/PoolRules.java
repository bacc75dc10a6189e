package dev.jgrad;

import dev.jgrad.backend.View;
import dev.jgrad.backend.Window;

/**
 * 2-D pooling: the forward is one backend pass ({@code pool2d}, which for max pooling also records
 * each window's first maximum, as PyTorch's indices); the backward passes are recorded Tensor ops
 * (a scatter-add for max, a fold for average), so they differentiate again. Adaptive pooling is an
 * ordinary average pool when the sizes divide, else two products with constant averaging matrices,
 * {@code P_H · x · P_Wᵀ}.
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
        Tensor y = max ? max(x4, w) : average(x4, w);
        return x.dim() == 3 ? y.squeeze(0) : y;
    }

    /**
     * Max pooling by the backend's one-pass kernel, which also records each window's argmax (its
     * position in the input plane). The backward scatters the gradient to those positions,
     * {@code dx.view(N, C, H·W).scatterAdd(2, argmax, dy)}, a recorded op (its own backward is a
     * gather), so it differentiates again.
     */
    private static Tensor max(Tensor x, Window w) {
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
        int[] shape = {n, c, w.outH(h), w.outW(wd)};
        Tensor out = Ops.empty(x.device(), x.dtype(), shape);
        Tensor argmax = Ops.empty(x.device(), DType.I64, shape);
        x.backend().pool2d(true, x.desc(), w, out.desc(), argmax.desc());
        Tensor index = argmax.reshape(n, c, shape[2] * shape[3]);
        return Rule.unary("maxPool2d", out, x, (node, g) -> new Tensor[] {unpool(g, index, h, wd)});
    }

    /**
     * {@code dx.view(N, C, H·W)[n, c, index[n, c, l]] += g[n, c, l]}, recorded with {@link #gatherAt}
     * as its backward (and that with this), so the chain differentiates to any order. The indices
     * come from the forward kernel, so they are in range and are not read back to the host to be
     * checked, as the public scatterAdd does.
     */
    private static Tensor unpool(Tensor g, Tensor index, int h, int wd) {
        int n = index.shape[0], c = index.shape[1];
        Tensor gc = Ops.contiguous(g);
        Tensor src = gc.alias(index.shape, View.contiguousStrides(index.shape), gc.offset);
        Tensor out = Ops.scatterAdd(Ops.full(g.device(), g.dtype, new int[] {n, c, h * wd}, 0), 2, index, src);
        Tensor dx = out.alias(new int[] {n, c, h, wd}, View.contiguousStrides(new int[] {n, c, h, wd}), 0);
        int[] gShape = g.shape;
        return Rule.unary("maxUnpool2d", dx, g, (node, gg) -> new Tensor[] {gatherAt(gg, index, gShape)});
    }

    /** {@code out[n, c, l] = x.view(N, C, H·W)[n, c, index[n, c, l]]} shaped {@code shape}, the adjoint of {@link #unpool}. */
    private static Tensor gatherAt(Tensor x, Tensor index, int[] shape) {
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
        Tensor flat = Ops.contiguous(x);
        flat = flat.alias(new int[] {n, c, h * wd}, View.contiguousStrides(new int[] {n, c, h * wd}), flat.offset);
        Tensor picked = Ops.gather(flat, 2, index);
        Tensor out = picked.alias(shape, View.contiguousStrides(shape), 0);
        return Rule.unary("maxPoolGather", out, x, (node, g) -> new Tensor[] {unpool(g, index, h, wd)});
    }

    /**
     * Average pooling by the backend's kernel. Each input element receives {@code dy / k²} from
     * every window containing it: the gradient, scaled and broadcast over the kernel axes as a
     * stride-0 view (no copy), is folded back ({@link ConvRules#fold}, recorded, adjoint of unfold).
     */
    private static Tensor average(Tensor x, Window w) {
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3], oh = w.outH(h), ow = w.outW(wd);
        Tensor out = Ops.empty(x.device(), x.dtype(), new int[] {n, c, oh, ow});
        x.backend().pool2d(false, x.desc(), w, out.desc(), null);
        int area = w.kernelH() * w.kernelW();
        return Rule.unary("avgPool2d", out, x, (node, g) -> new Tensor[] {ConvRules.fold(
                g.div(area).reshape(n, c, 1, 1, oh, ow).expand(n, c, w.kernelH(), w.kernelW(), oh, ow), w, h, wd)});
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
