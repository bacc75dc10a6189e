package dev.jgrad;

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
