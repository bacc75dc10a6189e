package dev.jgrad.nn;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.internal.Internals;
import java.util.Arrays;
import java.util.List;

/**
 * Loss functions, PyTorch's {@code torch.nn.functional} losses, each with a {@link Reduction}
 * ({@code MEAN} when not given). Each is a composition of differentiable {@link Tensor} ops (so second derivatives
 * work) and each numerically stable: log-probabilities come from {@code logSoftmax}, which subtracts
 * the row maximum, so logits of +-1000 neither overflow nor lose the gradient.
 */
public final class Losses {
    /** Below {@code e^-100} and representable (as a subnormal) in F32. */
    private static final double TINY = 1e-44;

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
        return mse(pred, target, Reduction.MEAN);
    }

    /** Squared error {@code (pred - target)^2}, reduced by {@code reduction}. */
    public static Tensor mse(Tensor pred, Tensor target, Reduction reduction) {
        Agree.same("mse", "prediction", pred, "target", target);
        sameShape("mse", pred, target);
        Tensor d = pred.sub(target);
        return reduction.apply(d.mul(d));
    }

    /** Mean absolute error {@code mean(|pred - target|)}; the gradient at 0 is 0, as PyTorch. */
    public static Tensor l1(Tensor pred, Tensor target) {
        return l1(pred, target, Reduction.MEAN);
    }

    /** Absolute error {@code |pred - target|}, reduced by {@code reduction}. */
    public static Tensor l1(Tensor pred, Tensor target, Reduction reduction) {
        Agree.same("l1", "prediction", pred, "target", target);
        sameShape("l1", pred, target);
        return reduction.apply(pred.sub(target).abs());
    }

    /** {@link #smoothL1(Tensor, Tensor, double, Reduction)} averaged. */
    public static Tensor smoothL1(Tensor pred, Tensor target, double beta) {
        return smoothL1(pred, target, beta, Reduction.MEAN);
    }

    /**
     * Smooth L1 error, PyTorch's {@code smooth_l1_loss}: {@code 0.5 d^2 / beta} where
     * {@code |d| < beta}, else {@code |d| - 0.5 beta}, with {@code d = pred - target}; {@code beta = 0} is L1.
     *
     * @param beta the switch point, {@code >= 0}
     */
    public static Tensor smoothL1(Tensor pred, Tensor target, double beta, Reduction reduction) {
        Agree.same("smoothL1", "prediction", pred, "target", target);
        sameShape("smoothL1", pred, target);
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("smoothL1: beta must be finite and >= 0, got " + beta);
        }
        return reduction.apply(smoothL1Values(pred.sub(target), beta));
    }

    private static Tensor smoothL1Values(Tensor d, double beta) {
        Tensor a = d.abs();
        if (beta == 0) {
            return a;
        }
        Tensor inside = a.lt(scalarLike(a, beta));
        return Tensor.where(inside, d.mul(d).mul(0.5 / beta), a.sub(0.5 * beta));
    }

    /** {@link #huber(Tensor, Tensor, double, Reduction)} averaged. */
    public static Tensor huber(Tensor pred, Tensor target, double delta) {
        return huber(pred, target, delta, Reduction.MEAN);
    }

    /**
     * Huber error, PyTorch's {@code huber_loss}: {@code 0.5 d^2} where {@code |d| <= delta}, else
     * {@code delta (|d| - 0.5 delta)}; equal to {@code delta * smoothL1(beta = delta)}.
     *
     * @param delta the switch point, {@code > 0}
     */
    public static Tensor huber(Tensor pred, Tensor target, double delta, Reduction reduction) {
        Agree.same("huber", "prediction", pred, "target", target);
        sameShape("huber", pred, target);
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("huber: delta must be finite and > 0, got " + delta);
        }
        return reduction.apply(smoothL1Values(pred.sub(target), delta).mul(delta));
    }

    /** {@link #binaryCrossEntropy(Tensor, Tensor, Reduction)} averaged. */
    public static Tensor binaryCrossEntropy(Tensor probs, Tensor targets) {
        return binaryCrossEntropy(probs, targets, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy on probabilities, PyTorch's {@code binary_cross_entropy}:
     * {@code -(t log p + (1 - t) log(1 - p))} with each log clamped at -100 as PyTorch does, so
     * {@code p = 0} or {@code 1} gives 100 instead of infinity. (For raw scores prefer the stable
     * {@link #binaryCrossEntropyWithLogits}.)
     *
     * @param probs   predictions in {@code [0, 1]} (checked)
     * @param targets of the same shape
     */
    public static Tensor binaryCrossEntropy(Tensor probs, Tensor targets, Reduction reduction) {
        String op = "binaryCrossEntropy";
        Agree.same(op, "input", probs, "target", targets);
        sameShape(op, probs, targets);
        // Checked where the probabilities live: at once on the host, at the next read on a device.
        Internals.bridge().checkRange(probs, 0, 1, (i, v) -> new IllegalArgumentException(op + ": input at flat"
                + " position " + i + " is " + v + "; every element of the input of shape "
                + Arrays.toString(probs.shape()) + " must be a probability in [0, 1]"));
        Tensor logP = clampedLog(probs);
        Tensor logNotP = clampedLog(probs.neg().add(1));
        return reduction.apply(targets.mul(logP).add(targets.neg().add(1).mul(logNotP)).neg());
    }

    /**
     * {@code max(log(v), -100)}. The inner clamp keeps the logarithm's argument positive, so at
     * {@code v = 0} the gradient is 0 rather than {@code 0 * inf = NaN}.
     */
    private static Tensor clampedLog(Tensor v) {
        return v.clamp(TINY, Double.POSITIVE_INFINITY).log().clamp(-100, Double.POSITIVE_INFINITY);
    }

    /** {@link #klDiv(Tensor, Tensor, Reduction)} averaged over every element (PyTorch's {@code 'mean'}). */
    public static Tensor klDiv(Tensor logInput, Tensor target) {
        return klDiv(logInput, target, Reduction.MEAN);
    }

    /**
     * Kullback-Leibler divergence, PyTorch's {@code kl_div(input, target)} with {@code log_target=False}:
     * pointwise {@code target * (log(target) - input)}, 0 where {@code target = 0}. {@code MEAN}
     * averages over every element as PyTorch's {@code 'mean'}; for the per-sample divergence
     * ({@code 'batchmean'}) use {@code SUM} and divide by the batch size.
     *
     * @param logInput log-probabilities, e.g. from {@code logSoftmax}
     * @param target   probabilities of the same shape
     */
    public static Tensor klDiv(Tensor logInput, Tensor target, Reduction reduction) {
        Agree.same("klDiv", "prediction", logInput, "target", target);
        sameShape("klDiv", logInput, target);
        Tensor xlogx = target.mul(target.clamp(TINY, Double.POSITIVE_INFINITY).log());
        return reduction.apply(xlogx.sub(target.mul(logInput)));
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

    /** {@link #crossEntropy(Tensor, Tensor, double, Reduction)} averaged over the batch. */
    public static Tensor crossEntropy(Tensor logits, Tensor labels, double labelSmoothing) {
        return crossEntropy(logits, labels, labelSmoothing, Reduction.MEAN);
    }

    /**
     * Cross-entropy with label smoothing, PyTorch's {@code cross_entropy(label_smoothing=eps)}: the
     * target puts {@code 1 - eps + eps/C} on the label and {@code eps/C} on every other class, so
     * {@code loss_i = (1 - eps) * (-logp[i, y_i]) + eps * mean_c(-logp[i, c])}. With {@code eps = 0}
     * and {@code MEAN} this is the fused {@link #crossEntropy(Tensor, Tensor)}.
     *
     * @param labelSmoothing {@code eps} in {@code [0, 1]}
     * @return per-sample losses {@code [N]} for {@code NONE}, else a scalar
     */
    public static Tensor crossEntropy(Tensor logits, Tensor labels, double labelSmoothing, Reduction reduction) {
        checkClassification("crossEntropy", logits, labels);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        if (labelSmoothing == 0 && reduction == Reduction.MEAN) {
            return Internals.bridge().crossEntropy(logits, labels);
        }
        Tensor logProbs = logits.logSoftmax(1);
        Tensor nll = logProbs.gather(1, labels.unsqueeze(1)).squeeze(1).neg();
        if (labelSmoothing > 0) {
            nll = nll.mul(1 - labelSmoothing).sub(logProbs.mean(1, false).mul(labelSmoothing));
        }
        return reduction.apply(nll);
    }

    /**
     * Negative log-likelihood of log-probabilities: {@code mean_i(-logProbs[i, labels[i]])}.
     *
     * @param logProbs F32 or F64 of shape [N, C], e.g. from {@code logSoftmax(1)}
     * @param labels   I64 of shape [N], each in {@code [0, C)}
     * @return a scalar
     */
    public static Tensor nll(Tensor logProbs, Tensor labels) {
        return nll(logProbs, labels, Reduction.MEAN);
    }

    /** Negative log-likelihood {@code -logProbs[i, labels[i]]} per sample, reduced by {@code reduction}. */
    public static Tensor nll(Tensor logProbs, Tensor labels, Reduction reduction) {
        checkClassification("nll", logProbs, labels);
        return reduction.apply(logProbs.gather(1, labels.unsqueeze(1)).squeeze(1).neg());
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
        return binaryCrossEntropyWithLogits(logits, targets, Reduction.MEAN);
    }

    /** {@link #binaryCrossEntropyWithLogits(Tensor, Tensor)} per element, reduced by {@code reduction}. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Reduction reduction) {
        String op = "binaryCrossEntropyWithLogits";
        Agree.same(op, "logits", logits, "target", targets);
        sameShape(op, logits, targets);
        // Checked where the targets live: at once on the host, at the next read on a device.
        Internals.bridge().checkRange(targets, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, (i, v) ->
                new IllegalArgumentException(op + ": target at flat position " + i + " is NaN; targets of shape "
                        + Arrays.toString(targets.shape()) + " must be probabilities in [0, 1]"));
        Tensor zero = Tensor.zeros(logits.dtype(), logits.shape()).to(logits.device().name());
        Tensor logSig = Tensor.stack(List.of(zero, logits), -1).logSoftmax(-1);
        Tensor logP = logSig.select(-1, 1);
        Tensor logNotP = logSig.select(-1, 0);
        return reduction.apply(targets.mul(logP).add(targets.neg().add(1).mul(logNotP)).neg());
    }

    /** @return a 0-dim tensor holding {@code v} with {@code like}'s dtype and device */
    private static Tensor scalarLike(Tensor like, double v) {
        return Tensor.scalar(v, like.dtype()).to(like.device().name());
    }

    private static void sameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": prediction shape " + Arrays.toString(a.shape())
                    + " and target shape " + Arrays.toString(b.shape()) + " must be equal");
        }
    }

    private static void checkClassification(String op, Tensor scores, Tensor labels) {
        Agree.device(op, "scores", scores, "labels", labels);
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
