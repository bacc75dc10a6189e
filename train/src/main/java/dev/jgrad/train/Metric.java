package dev.jgrad.train;

import dev.jgrad.Tensor;

/**
 * A figure accumulated over the batches of one epoch, such as {@link Accuracy}. The trainer calls
 * {@link #reset()} before each pass over a loader, {@link #update} once per batch (under no-grad,
 * with the model's output and the batch's targets) and {@link #compute()} at the end.
 */
public interface Metric {
    /** @return the column name in the {@link History} ({@code train_} / {@code val_} is prefixed) */
    String name();

    /** Forgets every batch seen so far. */
    void reset();

    /**
     * Adds one batch.
     *
     * @param output the model's output for the batch (not recorded)
     * @param target the batch's targets
     */
    void update(Tensor output, Tensor target);

    /** @return the figure over every batch since {@link #reset()}; NaN when there was none */
    double compute();

    /** @return whether a larger value is better (early stopping and "best" checkpoints use it) */
    default boolean higherIsBetter() {
        return true;
    }
}
