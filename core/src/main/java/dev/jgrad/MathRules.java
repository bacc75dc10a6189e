package dev.jgrad;

import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.UnaryOp;

/** Rules for elementwise math functions; each backward is the textbook derivative in Tensor ops. */
final class MathRules {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    private MathRules() {
    }

    private static Tensor apply(String name, UnaryOp op, double arg, Tensor x) {
        Checks.floating(name, x);
        return Ops.unary(op, arg, x);
    }

    static Tensor neg(Tensor x) {
        return Rule.unary("neg", apply("neg", UnaryOp.NEG, 0, x), x, (n, g) -> new Tensor[] {g.neg()});
    }

    static Tensor pow(Tensor x, double c) {
        Tensor out = apply("pow", UnaryOp.POW_SCALAR, c, x);
        return Rule.unary("pow", out, x, (n, g) -> new Tensor[] {
            c == 0 ? g.mul(0.0) : g.mul(n.saved(0).pow(c - 1).mul(c))}, x);
    }

    static Tensor exp(Tensor x) {
        Tensor out = apply("exp", UnaryOp.EXP, 0, x);
        return Rule.unary("exp", out, x, (n, g) -> new Tensor[] {g.mul(n.saved(0))}, out);
    }

    static Tensor log(Tensor x) {
        return Rule.unary("log", apply("log", UnaryOp.LOG, 0, x), x, (n, g) -> new Tensor[] {g.div(n.saved(0))}, x);
    }

    static Tensor sqrt(Tensor x) {
        Tensor out = apply("sqrt", UnaryOp.SQRT, 0, x);
        return Rule.unary("sqrt", out, x, (n, g) -> new Tensor[] {g.div(n.saved(0).mul(2.0))}, out);
    }

    /** {@code x^-1/2}; derivative {@code -1/2 * out^3}, from the saved output. */
    static Tensor rsqrt(Tensor x) {
        Tensor out = apply("rsqrt", UnaryOp.POW_SCALAR, -0.5, x);
        return Rule.unary("rsqrt", out, x, (n, g) -> new Tensor[] {g.mul(n.saved(0).pow(3).mul(-0.5))}, out);
    }

    static Tensor log1p(Tensor x) {
        return Rule.unary("log1p", apply("log1p", UnaryOp.LOG1P, 0, x), x,
                (n, g) -> new Tensor[] {g.div(n.saved(0).add(1))}, x);
    }

    /**
     * PyTorch's {@code softplus(x, beta, threshold)}: {@code log(1 + e^(beta x)) / beta}, and
     * {@code x} itself where {@code beta x > threshold}. Evaluated as
     * {@code (max(z, 0) + log1p(e^-|z|)) / beta} with {@code z = beta x}, which neither overflows
     * nor loses the small tail. The derivative is {@code sigmoid(beta x)} (1 above the threshold).
     */
    static Tensor softplus(Tensor x, double beta, double threshold) {
        Checks.floating("softplus", x);
        if (!(beta != 0 && Double.isFinite(beta)) || Double.isNaN(threshold)) {
            throw new IllegalArgumentException("softplus: beta must be finite and nonzero and threshold not NaN, got"
                    + " beta " + beta + ", threshold " + threshold);
        }
        Tensor z = Ops.unary(UnaryOp.MUL_SCALAR, beta, x);
        Tensor tail = Ops.unary(UnaryOp.LOG1P, 0, Ops.unary(UnaryOp.EXP, 0,
                Ops.unary(UnaryOp.NEG, 0, Ops.unary(UnaryOp.ABS, 0, z))));
        Tensor smooth = Ops.unary(UnaryOp.DIV_SCALAR, beta,
                Ops.binary("softplus", BinaryOp.ADD, Ops.unary(UnaryOp.RELU, 0, z), tail));
        Tensor above = Ops.unary(UnaryOp.GT_SCALAR, threshold, z);
        Tensor out = Ops.where(above, x, smooth);
        return Rule.unary("softplus", out, x, (n, g) -> {
            Tensor v = n.saved(0);
            Tensor linear = Ops.unary(UnaryOp.GT_SCALAR, threshold, Ops.unary(UnaryOp.MUL_SCALAR, beta, v));
            return new Tensor[] {Tensor.where(linear, g, g.mul(v.mul(beta).sigmoid()))};
        }, x);
    }

    static Tensor abs(Tensor x) {
        return Rule.unary("abs", apply("abs", UnaryOp.ABS, 0, x), x,
                (n, g) -> new Tensor[] {g.mul(Ops.unary(UnaryOp.SIGN, 0, n.saved(0)))}, x);
    }

    static Tensor erf(Tensor x) {
        return Rule.unary("erf", apply("erf", UnaryOp.ERF, 0, x), x, (n, g) -> {
            Tensor v = n.saved(0);
            return new Tensor[] {g.mul(v.mul(v).neg().exp().mul(TWO_OVER_SQRT_PI))};
        }, x);
    }

    static Tensor clamp(Tensor x, double min, double max) {
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException("clamp: needs min <= max (and neither NaN), got min " + min
                    + " and max " + max + " for a tensor of shape " + Checks.str(x.shape));
        }
        Tensor out = apply("clamp", UnaryOp.MIN_SCALAR, max, apply("clamp", UnaryOp.MAX_SCALAR, min, x));
        return Rule.unary("clamp", out, x, (n, g) -> {
            Tensor v = n.saved(0);
            Tensor inside = Ops.unary(UnaryOp.GE_SCALAR, min, v).mul(Ops.unary(UnaryOp.LE_SCALAR, max, v));
            return new Tensor[] {g.mul(inside)};
        }, x);
    }
}
