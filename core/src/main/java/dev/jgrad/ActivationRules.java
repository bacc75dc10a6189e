package dev.jgrad;

import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.UnaryOp;

/**
 * Rules for activations: the elementwise ones come from the {@link Activation} table; softmax and
 * log-softmax (not elementwise) are here. Where the derivative is a function of the output the rule
 * saves the output, as PyTorch does; under {@code createGraph} that output is itself in the graph,
 * so second derivatives come out right.
 */
final class ActivationRules {
    private ActivationRules() {
    }

    static Tensor relu(Tensor x) {
        return Activation.RELU.apply(x, 0);
    }

    static Tensor leakyRelu(Tensor x, double slope) {
        Checks.floating("leakyRelu", x);
        if (!Double.isFinite(slope)) {
            throw new IllegalArgumentException("leakyRelu: negativeSlope must be finite, got " + slope);
        }
        return Activation.LEAKY_RELU.apply(x, slope);
    }

    static Tensor sigmoid(Tensor x) {
        return Activation.SIGMOID.apply(x, 0);
    }

    static Tensor tanh(Tensor x) {
        return Activation.TANH.apply(x, 0);
    }

    /**
     * {@code x * sigmoid(x)}, a rule of its own rather than an {@link Activation} row: no backend op
     * computes it, the forward is sigmoid then a product. Derivative {@code s (1 + x (1 - s))}, in
     * Tensor ops so it differentiates again.
     */
    static Tensor silu(Tensor x) {
        Checks.floating("silu", x);
        Tensor s = Ops.unary(UnaryOp.SIGMOID, 0, x);
        Tensor out = Ops.binary("silu", BinaryOp.MUL, x, s);
        return Rule.unary("silu", out, x, (n, g) -> {
            Tensor v = n.saved(0);
            Tensor sig = v.sigmoid();
            return new Tensor[] {g.mul(sig.mul(v.mul(sig.neg().add(1)).add(1)))};
        }, x);
    }

    static Tensor gelu(Tensor x) {
        return Activation.GELU.apply(x, 0);
    }

    static Tensor softmax(Tensor x, int dim) {
        Checks.floating("softmax", x);
        int d = Checks.dim("softmax", dim, x.dim());
        Tensor out = fused(x, d, false);
        if (out == null) {
            Tensor e = Ops.unary(UnaryOp.EXP, 0, shifted(x, d));
            out = Ops.binary("softmax", BinaryOp.DIV, e, Ops.reduce(ReduceOp.SUM, e, new int[] {d}));
        }
        return Rule.unary("softmax", out, x, (n, g) -> {
            Tensor s = n.saved(0);
            return new Tensor[] {s.mul(g.sub(g.mul(s).sum(d, true)))};
        }, out);
    }

    static Tensor logSoftmax(Tensor x, int dim) {
        Checks.floating("logSoftmax", x);
        int d = Checks.dim("logSoftmax", dim, x.dim());
        Tensor out = fused(x, d, true);
        if (out == null) {
            Tensor z = shifted(x, d);
            Tensor lse = Ops.unary(UnaryOp.LOG, 0, Ops.reduce(ReduceOp.SUM, Ops.unary(UnaryOp.EXP, 0, z), new int[] {d}));
            out = Ops.binary("logSoftmax", BinaryOp.SUB, z, lse);
        }
        return Rule.unary("logSoftmax", out, x, (n, g) -> {
            Tensor ls = n.saved(0);
            return new Tensor[] {g.sub(ls.exp().mul(g.sum(d, true)))};
        }, out);
    }

    /** @return the backend's one-pass (log-)softmax when {@code d} is the last dim, else null */
    private static Tensor fused(Tensor x, int d, boolean log) {
        if (d != x.dim() - 1 || x.numel() == 0) {
            return null;
        }
        return Ops.softmax(x, log);
    }

    /** {@code x - max(x, dim)}: the shift that keeps exp from overflowing for logits like 1000. */
    private static Tensor shifted(Tensor x, int d) {
        if (x.shape[d] == 0) {
            return x;
        }
        return Ops.binary("softmax", BinaryOp.SUB, x, Ops.reduce(ReduceOp.MAX, x, new int[] {d}));
    }
}
