package dev.jgrad;

import dev.jgrad.autograd.NoGrad;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.UnaryOp;

/**
 * The autograd rules behind {@link dev.jgrad.nn.Losses} that need more than composition; call
 * {@code Losses}, which validates the arguments. Public only because Java has no cross-package
 * friendship.
 */
public final class LossRules {
    private LossRules() {
    }

    /**
     * Mean cross-entropy of {@code logits [N, C]} at {@code labels [N]} (validated by the caller).
     * A plain backward runs the backend's one-pass gradient {@code (softmax - onehot) * g / N};
     * under {@code createGraph} the same formula is composed of Tensor ops through the recorded
     * log-softmax, so it differentiates again.
     *
     * @param logits raw scores, F32 or F64
     * @param labels I64 class indices in range
     * @return the scalar loss
     */
    public static Tensor crossEntropy(Tensor logits, Tensor labels) {
        int n = logits.shape[0];
        Tensor logProbs = logits.logSoftmax(1);
        Tensor index = labels.alias(new int[] {n, 1}, new int[] {labels.strides[0], 0}, labels.offset);
        Tensor total = Ops.reduce(ReduceOp.SUM, Ops.gather(logProbs, 1, index), new int[] {0, 1});
        Tensor loss = Ops.unary(UnaryOp.MUL_SCALAR, -1.0 / n, total.alias(new int[0], new int[0], total.offset));
        return Rule.unary("crossEntropy", loss, logits, (node, g) -> {
            Tensor lp = node.saved(0);
            if (!NoGrad.isGradEnabled()) {
                Tensor out = Ops.empty(lp.device(), lp.dtype, lp.shape);
                lp.backend().crossEntropyBackward(Ops.contiguous(lp).desc(), labels.desc(), g.item() / n, out.desc());
                return new Tensor[] {out};
            }
            Tensor ones = Ops.full(lp.device(), lp.dtype, new int[] {n, 1}, 1);
            Tensor onehot = Ops.scatterAdd(Ops.full(lp.device(), lp.dtype, lp.shape, 0), 1, index, ones);
            return new Tensor[] {lp.exp().sub(onehot).mul(g.div(n))};
        }, logProbs);
    }
}
