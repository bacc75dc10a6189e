package dev.jgrad;

import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.UnaryOp;

/**
 * Rules for broadcasting binary arithmetic. Each backward reduces the incoming gradient back to
 * its input's shape ({@link ReductionRules#sumTo}), which is where broadcasting is undone.
 */
final class ElementwiseRules {
    private ElementwiseRules() {
    }

    private static void check(String op, Tensor a, Tensor b) {
        Checks.compatible(op, a, b);
        Checks.floating(op, a);
    }

    static Tensor add(Tensor a, Tensor b) {
        check("add", a, b);
        int[] sa = a.shape, sb = b.shape;
        return Rule.record("add", Ops.binary("add", BinaryOp.ADD, a, b), new Tensor[] {a, b}, (n, g) -> new Tensor[] {
            n.needsInputGrad(0) ? ReductionRules.sumTo(g, sa) : null,
            n.needsInputGrad(1) ? ReductionRules.sumTo(g, sb) : null});
    }

    static Tensor sub(Tensor a, Tensor b) {
        check("sub", a, b);
        int[] sa = a.shape, sb = b.shape;
        return Rule.record("sub", Ops.binary("sub", BinaryOp.SUB, a, b), new Tensor[] {a, b}, (n, g) -> new Tensor[] {
            n.needsInputGrad(0) ? ReductionRules.sumTo(g, sa) : null,
            n.needsInputGrad(1) ? ReductionRules.sumTo(g.neg(), sb) : null});
    }

    static Tensor mul(Tensor a, Tensor b) {
        check("mul", a, b);
        int[] sa = a.shape, sb = b.shape;
        return Rule.record("mul", Ops.binary("mul", BinaryOp.MUL, a, b), new Tensor[] {a, b}, (n, g) -> new Tensor[] {
            n.needsInputGrad(0) ? ReductionRules.sumTo(g.mul(n.saved(1)), sa) : null,
            n.needsInputGrad(1) ? ReductionRules.sumTo(g.mul(n.saved(0)), sb) : null}, a, b);
    }

    static Tensor div(Tensor a, Tensor b) {
        check("div", a, b);
        int[] sa = a.shape, sb = b.shape;
        return Rule.record("div", Ops.binary("div", BinaryOp.DIV, a, b), new Tensor[] {a, b}, (n, g) -> {
            Tensor y = n.saved(1);
            return new Tensor[] {
                n.needsInputGrad(0) ? ReductionRules.sumTo(g.div(y), sa) : null,
                n.needsInputGrad(1) ? ReductionRules.sumTo(g.mul(n.saved(0)).div(y.mul(y)).neg(), sb) : null};
        }, a, b);
    }

    static Tensor addScalar(Tensor x, double c) {
        Checks.floating("add", x);
        return Rule.unary("addScalar", Ops.unary(UnaryOp.ADD_SCALAR, c, x), x, (n, g) -> new Tensor[] {g});
    }

    static Tensor mulScalar(Tensor x, double c) {
        Checks.floating("mul", x);
        return Rule.unary("mulScalar", Ops.unary(UnaryOp.MUL_SCALAR, c, x), x, (n, g) -> new Tensor[] {g.mul(c)});
    }

    static Tensor divScalar(Tensor x, double c) {
        Checks.floating("div", x);
        return Rule.unary("divScalar", Ops.unary(UnaryOp.DIV_SCALAR, c, x), x, (n, g) -> new Tensor[] {g.div(c)});
    }

    static Tensor maximum(Tensor a, Tensor b) {
        return extreme("maximum", BinaryOp.MAX, BinaryOp.GT, a, b);
    }

    static Tensor minimum(Tensor a, Tensor b) {
        return extreme("minimum", BinaryOp.MIN, BinaryOp.LT, a, b);
    }

    /** PyTorch's rule: the winner takes the gradient, ties split it in half. */
    private static Tensor extreme(String name, BinaryOp op, BinaryOp wins, Tensor a, Tensor b) {
        check(name, a, b);
        int[] sa = a.shape, sb = b.shape;
        return Rule.record(name, Ops.binary(name, op, a, b), new Tensor[] {a, b}, (n, g) -> {
            Tensor x = n.saved(0), y = n.saved(1);
            Tensor share = Ops.binary(name, wins, x, y).add(Ops.binary(name, BinaryOp.EQ, x, y).mul(0.5));
            return new Tensor[] {
                n.needsInputGrad(0) ? ReductionRules.sumTo(g.mul(share), sa) : null,
                n.needsInputGrad(1) ? ReductionRules.sumTo(g.mul(share.neg().add(1)), sb) : null};
        }, a, b);
    }

    static Tensor compare(String name, BinaryOp op, Tensor a, Tensor b) {
        Checks.compatible(name, a, b);
        return Ops.binary(name, op, a, b);
    }

    /** Selection copies elements exactly, so {@code a} and {@code b} may be of any one dtype, I64 included. */
    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Checks.compatible("where", a, b);
        Checks.sameDevice("where", cond, a);
        int[] sa = a.shape, sb = b.shape;
        Tensor out = Ops.where(cond, a, b);
        return Rule.record("where", out, new Tensor[] {a, b}, (n, g) -> {
            Tensor zero = Ops.full(g.device(), g.dtype, new int[0], 0);
            return new Tensor[] {
                n.needsInputGrad(0) ? ReductionRules.sumTo(Tensor.where(cond, g, zero), sa) : null,
                n.needsInputGrad(1) ? ReductionRules.sumTo(Tensor.where(cond, zero, g), sb) : null};
        });
    }

    /**
     * {@code where(mask, value, x)}: {@code value} where the mask is nonzero, broadcasting the mask
     * to {@code x}'s shape (PyTorch's {@code masked_fill}); the gradient flows to {@code x} where the
     * mask is zero.
     */
    static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        Checks.floating("maskedFill", x);
        Checks.sameDevice("maskedFill", x, mask);
        if (!Broadcast.broadcastsTo(mask.shape, x.shape)) {
            throw new IllegalArgumentException("maskedFill: the mask of shape " + Checks.str(mask.shape)
                    + " does not broadcast to the tensor's shape " + Checks.str(x.shape));
        }
        return where(mask, Ops.full(x.device(), x.dtype, new int[0], value), x);
    }
}
