package dev.jgrad;

import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.UnaryOp;

/**
 * Rules for activations. Where the derivative is a function of the output (sigmoid, tanh,
 * softmax) the rule saves the output, as PyTorch does; under {@code createGraph} that output is
 * itself in the graph, so second derivatives come out right.
 */
final class ActivationRules {
    private static final double INV_SQRT_2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    private ActivationRules() {
    }

    static Tensor relu(Tensor x) {
        Checks.floating("relu", x);
        Tensor out = Ops.unary(UnaryOp.RELU, 0, x);
        return Rule.unary("relu", out, x,
                (n, g) -> new Tensor[] {g.mul(Ops.unary(UnaryOp.GT_SCALAR, 0, n.saved(0)))}, out);
    }

    static Tensor leakyRelu(Tensor x, double slope) {
        Checks.floating("leakyRelu", x);
        if (!Double.isFinite(slope)) {
            throw new IllegalArgumentException("leakyRelu: negativeSlope must be finite, got " + slope);
        }
        Tensor out = Ops.unary(UnaryOp.LEAKY_RELU, slope, x);
        return Rule.unary("leakyRelu", out, x, (n, g) -> {
            Tensor positive = Ops.unary(UnaryOp.GT_SCALAR, 0, n.saved(0));
            return new Tensor[] {g.mul(positive.mul(1 - slope).add(slope))};
        }, x);
    }

    static Tensor sigmoid(Tensor x) {
        Checks.floating("sigmoid", x);
        Tensor out = Ops.unary(UnaryOp.SIGMOID, 0, x);
        return Rule.unary("sigmoid", out, x, (n, g) -> {
            Tensor s = n.saved(0);
            return new Tensor[] {g.mul(s.mul(s.neg().add(1)))};
        }, out);
    }

    static Tensor tanh(Tensor x) {
        Checks.floating("tanh", x);
        Tensor out = Ops.unary(UnaryOp.TANH, 0, x);
        return Rule.unary("tanh", out, x, (n, g) -> {
            Tensor t = n.saved(0);
            return new Tensor[] {g.mul(t.mul(t).neg().add(1))};
        }, out);
    }

    /** {@code x * sigmoid(x)}; derivative {@code s * (1 + x * (1 - s))}, composed so it differentiates again. */
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

    /** d/dx x*Phi(x) = Phi(x) + x*phi(x), with Phi via erf so that it differentiates again. */
    static Tensor gelu(Tensor x) {
        Checks.floating("gelu", x);
        Tensor out = Ops.unary(UnaryOp.GELU, 0, x);
        return Rule.unary("gelu", out, x, (n, g) -> new Tensor[] {g.mul(geluDerivative(n.saved(0)))}, x);
    }

    /** @return {@code Phi(v) + v phi(v)}, the derivative of GELU, in Tensor ops (so it differentiates again) */
    static Tensor geluDerivative(Tensor v) {
        Tensor cdf = v.mul(INV_SQRT_2).erf().add(1).mul(0.5);
        Tensor pdf = v.mul(v).mul(-0.5).exp().mul(INV_SQRT_2PI);
        return cdf.add(v.mul(pdf));
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
        Tensor src = Ops.contiguous(x);
        Tensor out = Ops.empty(x.device(), x.dtype, x.shape);
        x.backend().softmax(src.desc(), log, out.desc());
        return out;
    }

    /** {@code x - max(x, dim)}: the shift that keeps exp from overflowing for logits like 1000. */
    private static Tensor shifted(Tensor x, int d) {
        if (x.shape[d] == 0) {
            return x;
        }
        return Ops.binary("softmax", BinaryOp.SUB, x, Ops.reduce(ReduceOp.MAX, x, new int[] {d}));
    }
}
