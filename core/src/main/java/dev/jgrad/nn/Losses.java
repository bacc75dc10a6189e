package dev.jgrad.nn;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.internal.Internals;
import java.util.Arrays;
import java.util.List;

/**
 * Loss functions, each a composition of differentiable {@link Tensor} ops (so second derivatives
 * work) and each numerically stable: log-probabilities come from {@code logSoftmax}, which subtracts
 * the row maximum, so logits of +-1000 neither overflow nor lose the gradient.
 */
public final class Losses {
    private Losses() {
    }

    /**
     * Mean squared error {@code mean((pred - target)^2)}.
     *
     * @param pred   predictions
     * @param target targets of the same shape, dtype and device
     * @return a scalar
     */
    public static Tensor mse(Tensor pred, Tensor target) {
        sameShape("mse", pred, target);
        Tensor d = pred.sub(target);
        return d.mul(d).mean();
    }

    /**
     * Cross-entropy of raw scores against class indices: {@code mean_i(-logSoftmax(logits)[i, labels[i]])}.
     *
     * @param logits F32 or F64 of shape [N, C]
     * @param labels I64 of shape [N], each in {@code [0, C)}
     * @return a scalar
     */
    public static Tensor crossEntropy(Tensor logits, Tensor labels) {
        checkClassification("crossEntropy", logits, labels);
        return Internals.bridge().crossEntropy(logits, labels);
    }

    /**
     * Negative log-likelihood of log-probabilities: {@code mean_i(-logProbs[i, labels[i]])}.
     *
     * @param logProbs F32 or F64 of shape [N, C], e.g. from {@code logSoftmax(1)}
     * @param labels   I64 of shape [N], each in {@code [0, C)}
     * @return a scalar
     */
    public static Tensor nll(Tensor logProbs, Tensor labels) {
        checkClassification("nll", logProbs, labels);
        return pick(logProbs, labels);
    }

    /**
     * Binary cross-entropy on logits, {@code mean(-t log sigmoid(x) - (1-t) log sigmoid(-x))}. Both
     * log-sigmoids come from a log-softmax over {@code [0, x]}, which is stable for any {@code x} and
     * has the exact gradient {@code sigmoid(x) - t} everywhere, including {@code x = 0}.
     *
     * @param logits  raw scores
     * @param targets probabilities in [0, 1] of the same shape; NaN is rejected
     * @return a scalar
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets) {
        String op = "binaryCrossEntropyWithLogits";
        sameShape(op, logits, targets);
        // Checked where the targets live: at once on the host, at the next read on a device.
        Internals.bridge().checkRange(targets, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, (i, v) ->
                new IllegalArgumentException(op + ": target at flat position " + i + " is NaN; targets of shape "
                        + Arrays.toString(targets.shape()) + " must be probabilities in [0, 1]"));
        Tensor zero = Tensor.zeros(logits.dtype(), logits.shape()).to(logits.device().name());
        Tensor logSig = Tensor.stack(List.of(zero, logits), -1).logSoftmax(-1);
        Tensor logP = logSig.select(-1, 1);
        Tensor logNotP = logSig.select(-1, 0);
        return targets.mul(logP).add(targets.neg().add(1).mul(logNotP)).mean().neg();
    }

    private static Tensor pick(Tensor logProbs, Tensor labels) {
        return logProbs.gather(1, labels.unsqueeze(1)).mean().neg();
    }

    private static void sameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": prediction shape " + Arrays.toString(a.shape())
                    + " and target shape " + Arrays.toString(b.shape()) + " must be equal");
        }
    }

    private static void checkClassification(String op, Tensor scores, Tensor labels) {
        if (scores.dim() != 2) {
            throw new IllegalArgumentException(op + ": expects scores of shape [N, C], got "
                    + Arrays.toString(scores.shape()));
        }
        if (labels.dtype() != DType.I64) {
            String nan = hasNaN(labels) ? " (they contain NaN)" : "";
            throw new IllegalArgumentException(op + ": labels must be I64 class indices, got " + labels.dtype()
                    + nan + " of shape " + Arrays.toString(labels.shape()));
        }
        if (labels.dim() != 1 || labels.shape()[0] != scores.shape()[0]) {
            throw new IllegalArgumentException(op + ": labels must have shape [" + scores.shape()[0]
                    + "] to match scores " + Arrays.toString(scores.shape()) + ", got "
                    + Arrays.toString(labels.shape()));
        }
        int classes = scores.shape()[1];
        // Checked where the labels live: at once on the host; on a device at its next synchronising
        // point, so a training step never waits for a read of its labels.
        Internals.bridge().checkRange(labels, 0, classes - 1.0, (i, l) -> new IllegalArgumentException(op + ": label "
                + (long) l + " at position " + i + " is out of range for " + classes + " classes (scores "
                + Arrays.toString(scores.shape()) + "); labels must be in [0, " + (classes - 1) + "]"));
    }

    private static boolean hasNaN(Tensor t) {
        for (double v : t.toDoubleArray()) {
            if (Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }
}
