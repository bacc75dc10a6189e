package dev.jgrad;

import dev.jgrad.autograd.NoGrad;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.UnaryOp;

/**
 * The autograd rules behind {@link dev.jgrad.nn} that need more than composition (fused kernels).
 * {@code nn.Losses} and {@code nn.Functional} reach them through {@link BridgeImpl}.
 */
final class NnRules {
    private NnRules() {
    }

    /**
     * Mean cross-entropy of {@code logits [N, C]} at {@code labels [N]} (validated by the caller).
     * A plain backward runs the backend's one-pass gradient {@code (softmax - onehot) * g / N}, with
     * {@code g} left on the device;
     * under {@code createGraph} the same formula is composed of Tensor ops through the recorded
     * log-softmax, so it differentiates again.
     *
     * @param logits raw scores, F32 or F64
     * @param labels I64 class indices in range
     * @return the scalar loss
     */
    static Tensor crossEntropy(Tensor logits, Tensor labels) {
        int n = logits.shape[0];
        Tensor logProbs = logits.logSoftmax(1);
        Tensor index = labels.alias(new int[] {n, 1}, new int[] {labels.strides[0], 0}, labels.offset);
        Tensor total = Ops.reduce(ReduceOp.SUM, Ops.gather(logProbs, 1, index), new int[] {0, 1});
        Tensor loss = Ops.unary(UnaryOp.MUL_SCALAR, -1.0 / n, total.alias(new int[0], new int[0], total.offset));
        return Rule.unary("crossEntropy", loss, logits, (node, g) -> {
            Tensor lp = node.saved(0);
            if (!NoGrad.isGradEnabled()) {
                return new Tensor[] {Ops.crossEntropyBackward(lp, labels, g, 1.0 / n)};
            }
            Tensor ones = Ops.full(lp.device(), lp.dtype, new int[] {n, 1}, 1);
            Tensor onehot = Ops.scatterAdd(Ops.full(lp.device(), lp.dtype, lp.shape, 0), 1, index, ones);
            return new Tensor[] {lp.exp().sub(onehot).mul(g.div(n))};
        }, logProbs);
    }

    /**
     * {@code act(x + bias)} with {@code bias} broadcast over the rows of {@code x}, in one pass over
     * memory (the backend's {@code biasActivation}). The backward multiplies by the activation's
     * derivative (from the saved output where it determines it, else from {@code x + bias}) and sums
     * the bias gradient over rows, all in Tensor ops, so it differentiates again.
     *
     * @param x    pre-activations {@code [..., C]}, F32 or F64
     * @param bias {@code [C]}
     * @param act  a fusable activation of the {@link Activation} table
     * @return the activations
     */
    static Tensor biasActivation(Tensor x, Tensor bias, UnaryOp act) {
        Checks.compatible("biasActivation", x, bias);
        Checks.floating("biasActivation", x);
        Activation a = Activation.of(act);
        if (!a.fusable) {
            throw new IllegalArgumentException("biasActivation: " + act + " is not a fusable activation; use one of "
                    + Activation.fusableNames());
        }
        int c = x.dim() == 0 ? -1 : x.shape[x.dim() - 1];
        if (bias.dim() != 1 || bias.shape[0] != c) {
            throw new IllegalArgumentException("biasActivation: bias must have shape [" + c + "] to match the last dim"
                    + " of " + Checks.str(x.shape) + ", got " + Checks.str(bias.shape));
        }
        Tensor out = Ops.biasActivation(act, x, bias);
        int[] bShape = bias.shape;
        return Rule.record("biasActivation", out, new Tensor[] {x, bias}, (node, g) -> {
            Tensor pre = a.needsInput ? node.saved(1).add(node.saved(2)) : null;
            Tensor d = a.derivative.at(pre, a.needsInput ? null : node.saved(0), 0);
            Tensor gp = d == null ? g : g.mul(d);
            return new Tensor[] {node.needsInputGrad(0) ? gp : null,
                node.needsInputGrad(1) ? ReductionRules.sumTo(gp, bShape) : null};
        }, a.needsInput ? new Tensor[] {out, x, bias} : new Tensor[] {out});
    }

    /**
     * {@code x · weightᵀ} for a 2-D {@code x [N, in]} and {@code weight [out, in]} as one recorded
     * op: the transpose is a stride swap handed to the backend, and the backward is
     * {@code dx = g · weight}, {@code dweight = gᵀ · x} (already in the weight's layout), the two
     * products handed over together ({@link MatMulRules#gradientProducts}), recorded under
     * {@code createGraph} so it differentiates again. Other ranks use {@code matmul} with a
     * transposed view.
     *
     * @param x      inputs
     * @param weight weights in PyTorch's {@code [out, in]} layout
     * @return {@code [N, out]}
     */
    static Tensor linear(Tensor x, Tensor weight) {
        if (x.dim() != 2) {
            return x.matmul(weight.transpose(0, 1));
        }
        Tensor wt = weight.alias(new int[] {weight.shape[1], weight.shape[0]},
                new int[] {weight.strides[1], weight.strides[0]}, weight.offset);
        Checks.compatible("linear", x, weight);
        Checks.floating("linear", x);
        if (x.shape[1] != weight.shape[1]) {
            throw new IllegalArgumentException("linear: cannot multiply " + Checks.str(x.shape) + " by the transpose of "
                    + Checks.str(weight.shape) + ": inner dimensions " + x.shape[1] + " and " + weight.shape[1]
                    + " differ");
        }
        return Rule.record("linear", Ops.matmul(x, wt), new Tensor[] {x, weight}, (node, g) ->
                MatMulRules.gradientProducts(node.needsInputGrad(0), g, node.saved(1),
                        node.needsInputGrad(1), node.needsInputGrad(1) ? g.transpose(0, 1) : null, node.saved(0)),
                x, weight);
    }
}
