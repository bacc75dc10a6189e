package dev.jgrad.nn;

import dev.jgrad.Tensor;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.internal.Internals;
import java.util.Arrays;

/**
 * Layer functions in PyTorch's {@code torch.nn.functional} style. {@link #linear} runs the bias add
 * and activation of a layer as one fused kernel after the matmul.
 */
public final class Functional {
    private Functional() {
    }

    /** Activations that {@link #linear} can fuse into the layer. */
    public enum Activation {
        /** no activation: {@code x W^T + b} */
        NONE(UnaryOp.IDENTITY),
        /** {@code max(0, .)} */
        RELU(UnaryOp.RELU),
        /** hyperbolic tangent */
        TANH(UnaryOp.TANH),
        /** logistic sigmoid */
        SIGMOID(UnaryOp.SIGMOID),
        /** exact (erf) GELU */
        GELU(UnaryOp.GELU);

        final UnaryOp op;

        Activation(UnaryOp op) {
            this.op = op;
        }
    }

    /**
     * {@code act(x · weightᵀ + bias)}, as {@code torch.nn.functional.linear} followed by the
     * activation. The transpose is a view (no copy); bias add and activation are one fused pass.
     *
     * @param x      inputs {@code [..., in]}
     * @param weight {@code [out, in]}, PyTorch's layout
     * @param bias   {@code [out]}, or null for none
     * @param act    the activation to fuse
     * @return {@code [..., out]}
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, Activation act) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("linear: weight must be [out, in], got shape "
                    + Arrays.toString(weight.shape()));
        }
        Tensor h = Internals.bridge().linear(x, weight);
        if (bias == null) {
            return Internals.bridge().activation(h, act.op);
        }
        return Internals.bridge().biasActivation(h, bias, act.op);
    }
}
