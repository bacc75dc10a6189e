package dev.jgrad.backend;

/**
 * The defaults of the per-channel normalisation primitives ({@link Backend#channelMoments},
 * {@link Backend#channelAffine}, {@link Backend#channelSums}) composed of reductions over axes
 * {@code {0, 2}} of {@code [N, C, S]} and broadcast elementwise ops, with full-size temporaries. They
 * serve every backend and dtype and are the oracle the fused kernels are tested against.
 */
final class ComposedNorm {
    private static final int[] AXES = {0, 2};

    private ComposedNorm() {
    }

    static void moments(Backend b, View x, View mean, View var) {
        double inv = 1.0 / ((double) x.shape()[0] * x.shape()[2]);
        b.reduce(ReduceOp.SUM, x, AXES, keep(mean));
        b.unary(UnaryOp.MUL_SCALAR, inv, mean, mean);
        View xc = temp(b, x);
        b.binary(BinaryOp.SUB, x, spread(mean, x.shape()), xc);
        b.binary(BinaryOp.MUL, xc, xc, xc);
        b.reduce(ReduceOp.SUM, xc, AXES, keep(var));
        b.unary(UnaryOp.MUL_SCALAR, inv, var, var);
    }

    static void affine(Backend b, View a, View sa, View x, View sx, View shift, View out) {
        int[] s = out.shape();
        b.binary(BinaryOp.MUL, a, spread(sa, s), out);
        if (x != null) {
            View t = temp(b, x);
            b.binary(BinaryOp.MUL, x, spread(sx, s), t);
            b.binary(BinaryOp.ADD, out, t, out);
        }
        b.binary(BinaryOp.ADD, out, spread(shift, s), out);
    }

    static void sums(Backend b, View g, View x, View center, View sums, View dots) {
        b.reduce(ReduceOp.SUM, g, AXES, keep(sums));
        View t = temp(b, x);
        b.binary(BinaryOp.SUB, x, spread(center, x.shape()), t);
        b.binary(BinaryOp.MUL, t, g, t);
        b.reduce(ReduceOp.SUM, t, AXES, keep(dots));
    }

    /** @return a per-channel {@code [C]} view as the keep-dim output {@code [1, C, 1]} of a reduction */
    private static View keep(View v) {
        return new View(v.buffer(), v.offset(), new int[] {1, v.shape()[0], 1},
                new int[] {v.shape()[0] * v.strides()[0], v.strides()[0], 1});
    }

    /** @return a per-channel {@code [C]} view broadcast to {@code [N, C, S]} */
    private static View spread(View v, int[] shape) {
        return new View(v.buffer(), v.offset(), shape.clone(), new int[] {0, v.strides()[0], 0});
    }

    private static View temp(Backend b, View like) {
        return View.contiguous(b.allocateUninitialized(like.buffer().dtype(), like.numel()), like.shape());
    }
}
