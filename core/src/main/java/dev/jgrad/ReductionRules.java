package dev.jgrad;

import dev.jgrad.autograd.NoGrad;
import dev.jgrad.backend.ReduceOp;
import java.util.Arrays;

/**
 * Rules for reductions. Sum's backward broadcasts the gradient back ({@code expand}); expand's
 * backward sums ({@link #sumTo}): the two are each other's adjoint, which is also how broadcasting
 * in binary ops is undone.
 */
final class ReductionRules {
    private ReductionRules() {
    }

    static Tensor sumAll(Tensor x) {
        int[] axes = new int[x.dim()];
        Arrays.setAll(axes, i -> i);
        return sumAxes(x, axes, false);
    }

    static Tensor sum(Tensor x, int dim, boolean keepDim) {
        return sumAxes(x, new int[] {Checks.dim("sum", dim, x.dim())}, keepDim);
    }

    /** Sum over sorted distinct {@code axes}. */
    static Tensor sumAxes(Tensor x, int[] axes, boolean keepDim) {
        Checks.floating("sum", x);
        int[] inShape = x.shape;
        Tensor kept = Ops.reduce(ReduceOp.SUM, x, axes);
        int[] keptShape = kept.shape;
        Tensor out = keepDim ? kept : kept.alias(dropAxes(keptShape, axes), dropAxes(kept.strides, axes), 0);
        return Rule.unary("sum", out, x, (n, g) -> new Tensor[] {g.reshape(keptShape).expand(inShape)});
    }

    /** @return the sum of {@code g} down to {@code shape}, to which {@code g}'s shape broadcasts */
    static Tensor sumTo(Tensor g, int[] shape) {
        if (Arrays.equals(g.shape, shape)) {
            return g;
        }
        int lead = g.dim() - shape.length;
        int[] axes = new int[g.dim()];
        int count = 0;
        for (int d = 0; d < g.dim(); d++) {
            if (d < lead || (shape[d - lead] == 1 && g.shape[d] != 1)) {
                axes[count++] = d;
            }
        }
        Tensor s = count == 0 ? g : sumAxes(g, Arrays.copyOf(axes, count), true);
        return s.reshape(shape);
    }

    static Tensor meanAll(Tensor x) {
        Checks.floating("mean", x);
        return sumAll(x).div(x.numel());
    }

    static Tensor mean(Tensor x, int dim, boolean keepDim) {
        Checks.floating("mean", x);
        int d = Checks.dim("mean", dim, x.dim());
        return sum(x, d, keepDim).div(x.shape[d]);
    }

    /** max/min along a dim; the gradient is scattered to the index the forward picked. */
    static Tensor extreme(Tensor x, int dim, boolean keepDim, boolean max) {
        String name = max ? "max" : "min";
        Checks.floating(name, x);
        int d = Checks.dim(name, dim, x.dim());
        if (x.shape[d] == 0) {
            throw new IllegalArgumentException(name + ": cannot reduce dim " + dim + " of size 0 in shape "
                    + Checks.str(x.shape) + "; the reduction has no identity");
        }
        int[] inShape = x.shape;
        Tensor values = Ops.reduce(max ? ReduceOp.MAX : ReduceOp.MIN, x, new int[] {d});
        Tensor out = keepDim ? values : squeezeDim(values, d);
        if (!x.requiresGrad() || !NoGrad.isGradEnabled()) {
            return out;
        }
        Tensor index = Ops.reduce(max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, x, new int[] {d});
        int[] keptShape = values.shape;
        return Rule.unary(name, out, x, (n, g) -> new Tensor[] {
            Ops.full(g.device(), g.dtype, inShape, 0).scatterAdd(d, index, g.reshape(keptShape))});
    }

    static Tensor argIndex(Tensor x, int dim, boolean max) {
        String name = max ? "argmax" : "argmin";
        int d = Checks.dim(name, dim, x.dim());
        if (x.shape[d] == 0) {
            throw new IllegalArgumentException(name + ": cannot reduce dim " + dim + " of size 0 in shape "
                    + Checks.str(x.shape));
        }
        return squeezeDim(Ops.reduce(max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, x, new int[] {d}), d);
    }

    private static Tensor squeezeDim(Tensor kept, int d) {
        return kept.alias(dropAxes(kept.shape, new int[] {d}), dropAxes(kept.strides, new int[] {d}), kept.offset);
    }

    static int[] dropAxes(int[] values, int[] axes) {
        int[] out = new int[values.length - axes.length];
        int k = 0;
        int a = 0;
        for (int i = 0; i < values.length; i++) {
            if (a < axes.length && axes[a] == i) {
                a++;
            } else {
                out[k++] = values[i];
            }
        }
        return out;
    }
}
