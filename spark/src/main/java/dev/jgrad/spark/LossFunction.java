package dev.jgrad.spark;

import dev.jgrad.Tensor;
import dev.jgrad.nn.Losses;
import java.io.Serializable;

/** The training loss, run on executors; it must be the MEAN over the batch (as PyTorch's default reduction). */
@FunctionalInterface
public interface LossFunction extends Serializable {
    /** Cross-entropy of logits {@code [m, classes]} against I64 labels {@code [m]}, mean over the batch. */
    LossFunction CROSS_ENTROPY = Losses::crossEntropy;

    /**
     * @param output the model's output for the batch
     * @param labels the batch's labels, I64 {@code [m]}
     * @return the scalar mean loss
     */
    Tensor loss(Tensor output, Tensor labels);
}
