package dev.jgrad.backend;

/**
 * The defaults of the row-wise layer-normalisation primitives ({@link Backend#layerNorm},
 * {@link Backend#layerNormBackward}), composed of the per-channel primitives over the rows of
 * {@code [R, S]} seen as the channels of {@code [1, R, S]}, reductions over axis 0 and broadcast
 * elementwise ops, with full-size temporaries. They serve every backend and dtype and are the
 * oracle the fused kernels are tested against.
 */
final class ComposedLayerNorm {
    private ComposedLayerNorm() {
    }

    static void forward(Backend b, View x, View weight, View bias, double eps, View out, View mean, View rstd) {
        int[] s = x.shape();
        View x3 = rows3(x), o3 = rows3(out);
        b.channelMoments(x3, mean, rstd);
        b.unary(UnaryOp.ADD_SCALAR, eps, rstd, rstd);
        b.unary(UnaryOp.POW_SCALAR, -0.5, rstd, rstd);
        View shift = temp(b, mean);
        b.binary(BinaryOp.MUL, mean, rstd, shift);
        b.unary(UnaryOp.NEG, 0, shift, shift);
        b.channelAffine(x3, rstd, null, null, shift, o3);
        if (weight != null) {
            b.binary(BinaryOp.MUL, out, perColumn(weight, s), out);
        }
        if (bias != null) {
            b.binary(BinaryOp.ADD, out, perColumn(bias, s), out);
        }
    }

    static void backward(Backend b, View g, View x, View mean, View rstd, View weight, View dx, View dweight,
                         View dbias) {
        View gc = temp(b, x);
        b.unary(UnaryOp.IDENTITY, 0, g, gc);
        if (dx != null) {
            inputGrad(b, gc, x, mean, rstd, weight, dx);
        }
        if (dweight != null) {
            View shift = temp(b, mean), xhat = temp(b, x);
            b.binary(BinaryOp.MUL, mean, rstd, shift);
            b.unary(UnaryOp.NEG, 0, shift, shift);
            b.channelAffine(rows3(x), rstd, null, null, shift, rows3(xhat));
            b.binary(BinaryOp.MUL, xhat, gc, xhat);
            b.reduce(ReduceOp.SUM, xhat, new int[] {0}, row(dweight));
        }
        if (dbias != null) {
            b.reduce(ReduceOp.SUM, gc, new int[] {0}, row(dbias));
        }
    }

    /**
     * {@code dx = g*w * rstd + x * k2 + k3} per row, with {@code k2 = -rstd³ Σ(g*w*(x - mean)) / S}
     * and {@code k3 = -rstd Σ(g*w) / S - k2 * mean}: the closed form regrouped for one affine pass.
     */
    private static void inputGrad(Backend b, View gc, View x, View mean, View rstd, View weight, View dx) {
        int[] s = x.shape();
        View gy = gc;
        if (weight != null) {
            gy = temp(b, x);
            b.binary(BinaryOp.MUL, gc, perColumn(weight, s), gy);
        }
        View sums = temp(b, mean), dots = temp(b, mean), k2 = temp(b, mean), k3 = temp(b, mean);
        b.channelSums(rows3(gy), rows3(x), mean, sums, dots);
        double inv = -1.0 / s[1];
        b.binary(BinaryOp.MUL, rstd, rstd, k2);
        b.binary(BinaryOp.MUL, k2, rstd, k2);
        b.binary(BinaryOp.MUL, k2, dots, k2);
        b.unary(UnaryOp.MUL_SCALAR, inv, k2, k2);
        b.binary(BinaryOp.MUL, rstd, sums, k3);
        b.unary(UnaryOp.MUL_SCALAR, inv, k3, k3);
        b.binary(BinaryOp.MUL, k2, mean, sums);
        b.binary(BinaryOp.SUB, k3, sums, k3);
        b.channelAffine(rows3(gy), rstd, rows3(x), k2, k3, rows3(dx));
    }

    /** @return a contiguous {@code [R, S]} view as {@code [1, R, S]}, its rows the channels */
    private static View rows3(View v) {
        int[] s = v.shape();
        return new View(v.buffer(), v.offset(), new int[] {1, s[0], s[1]}, new int[] {s[0] * s[1], s[1], 1});
    }

    /** @return a parameter {@code [S]} broadcast down the rows of {@code [R, S]} */
    private static View perColumn(View p, int[] shape) {
        return new View(p.buffer(), p.offset(), shape.clone(), new int[] {0, p.strides()[0]});
    }

    /** @return a parameter gradient {@code [S]} as the keep-dim output {@code [1, S]} of a reduction over rows */
    private static View row(View p) {
        int n = p.shape()[0];
        return new View(p.buffer(), p.offset(), new int[] {1, n}, new int[] {n * p.strides()[0], p.strides()[0]});
    }

    private static View temp(Backend b, View like) {
        return View.contiguous(b.allocateUninitialized(like.buffer().dtype(), like.numel()), like.shape());
    }
}
