package dev.jgrad;

import dev.jgrad.backend.UnaryOp;

/**
 * The one table of elementwise activations: the backend op that computes each, its derivative in
 * Tensor ops (so it differentiates again under {@code createGraph}), which tensor the derivative
 * reads, and whether a linear layer can fuse it into its bias-add epilogue
 * ({@code Backend.biasActivation}). {@link ActivationRules}, the fused bias+activation rule and
 * {@code nn.Functional.Activation} all read it; a new activation is one row here.
 */
enum Activation {
    /** {@code y = x}; {@code y' = 1} */
    IDENTITY(UnaryOp.IDENTITY, "identity", true, false, (x, y, a) -> null),
    /** {@code y = max(0, x)}; {@code y' = [y > 0]} (0 at 0, as PyTorch) */
    RELU(UnaryOp.RELU, "relu", true, false, (x, y, a) -> Ops.unary(UnaryOp.GT_SCALAR, 0, y)),
    /** {@code y = x > 0 ? x : a x}; {@code y' = [x > 0] (1 - a) + a} */
    LEAKY_RELU(UnaryOp.LEAKY_RELU, "leakyRelu", false, true,
            (x, y, a) -> Ops.unary(UnaryOp.GT_SCALAR, 0, x).mul(1 - a).add(a)),
    /** {@code y = 1 / (1 + e^-x)}; {@code y' = y (1 - y)} */
    SIGMOID(UnaryOp.SIGMOID, "sigmoid", true, false, (x, y, a) -> y.mul(y.neg().add(1))),
    /** {@code y = tanh x}; {@code y' = 1 - y²} */
    TANH(UnaryOp.TANH, "tanh", true, false, (x, y, a) -> y.mul(y).neg().add(1)),
    /** {@code y = x Φ(x)}; {@code y' = Φ(x) + x φ(x)}, Φ through erf */
    GELU(UnaryOp.GELU, "gelu", true, true, (x, y, a) -> geluDerivative(x));

    private static final double INV_SQRT_2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    /** dy/dx from the input {@code x} if {@link #needsInput}, else from the output {@code y} (the other is null). */
    @FunctionalInterface
    interface Derivative {
        /** @return dy/dx elementwise, or null for 1 */
        Tensor at(Tensor x, Tensor y, double arg);
    }

    final UnaryOp op;
    final String opName;
    /** Whether {@code Backend.biasActivation} may run it after a linear layer's bias add. */
    final boolean fusable;
    /** Whether the derivative reads the input (then the rule saves only it) or only the output. */
    final boolean needsInput;
    final Derivative derivative;

    Activation(UnaryOp op, String opName, boolean fusable, boolean needsInput, Derivative derivative) {
        this.op = op;
        this.opName = opName;
        this.fusable = fusable;
        this.needsInput = needsInput;
        this.derivative = derivative;
    }

    /** @return the row whose backend op is {@code op} */
    static Activation of(UnaryOp op) {
        for (Activation a : values()) {
            if (a.op == op) {
                return a;
            }
        }
        throw new IllegalArgumentException(op + " is not an activation; activations are " + names());
    }

    /** @return the names of the fusable activations, for error messages */
    static String fusableNames() {
        StringBuilder s = new StringBuilder();
        for (Activation a : values()) {
            if (a.fusable) {
                s.append(s.isEmpty() ? "" : ", ").append(a.op);
            }
        }
        return s.toString();
    }

    private static String names() {
        StringBuilder s = new StringBuilder();
        for (Activation a : values()) {
            s.append(s.isEmpty() ? "" : ", ").append(a.op);
        }
        return s.toString();
    }

    /**
     * Applies this activation as a recorded op.
     *
     * @param x   a float tensor
     * @param arg the activation's parameter (LeakyReLU's slope), else ignored
     * @return {@code y}, with a backward {@code g · y'}
     */
    Tensor apply(Tensor x, double arg) {
        Checks.floating(opName, x);
        if (this == IDENTITY) {
            return x; // an unrecorded copy here would cut the graph
        }
        Tensor out = Ops.unary(op, arg, x);
        return Rule.unary(opName, out, x, (n, g) -> {
            Tensor d = needsInput ? derivative.at(n.saved(0), null, arg) : derivative.at(null, n.saved(0), arg);
            return new Tensor[] {d == null ? g : g.mul(d)};
        }, needsInput ? x : out);
    }

    /** @return {@code Φ(v) + v φ(v)}, the derivative of GELU, in Tensor ops (so it differentiates again) */
    static Tensor geluDerivative(Tensor v) {
        Tensor cdf = v.mul(INV_SQRT_2).erf().add(1).mul(0.5);
        Tensor pdf = v.mul(v).mul(-0.5).exp().mul(INV_SQRT_2PI);
        return cdf.add(v.mul(pdf));
    }
}
