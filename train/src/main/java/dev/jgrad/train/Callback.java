package dev.jgrad.train;

import dev.jgrad.nn.Module;

/**
 * Hooks into {@link Trainer#fit}. Both methods do nothing by default.
 */
public interface Callback {
    /**
     * Runs after each backward pass, before gradient clipping and the optimizer step: the parameters'
     * {@code grad()} hold this batch's gradients (a gradient report plugs in here).
     *
     * @param model the model being trained
     * @param epoch the epoch, from 1
     * @param step  the batch within the epoch, from 1
     * @param loss  the batch's loss
     */
    default void afterBackward(Module model, int epoch, int step, double loss) {
    }

    /**
     * Runs after each epoch, once its row is in {@code history} (and after the per-epoch schedule
     * step).
     *
     * @param trainer the trainer (for {@link Trainer#saveState})
     * @param model   the model being trained
     * @param history every epoch so far; the last row is this epoch's
     * @return a reason to stop training now, or null to go on
     */
    default String afterEpoch(Trainer trainer, Module model, History history) {
        return null;
    }
}
