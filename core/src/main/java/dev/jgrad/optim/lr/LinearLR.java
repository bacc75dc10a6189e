package dev.jgrad.optim.lr;

import dev.jgrad.optim.Optimizer;

/**
 * Warm-up (or cool-down): the lr factor moves linearly from {@code startFactor} to {@code endFactor}
 * over {@code totalIters} epochs and stays there:
 * {@code lr = base * (start + (end - start) * min(epoch, totalIters) / totalIters)}, computed in
 * PyTorch's chained form {@code lr *= 1 + (end - start) / (totalIters * start + (e - 1) * (end - start))}.
 */
public final class LinearLR extends LRScheduler {
    private final double start;
    private final double end;
    private final int totalIters;

    /**
     * @param startFactor the factor at epoch 0, in (0, 1]
     * @param endFactor   the factor from epoch {@code totalIters} on, in [0, 1]
     * @param totalIters  epochs of the ramp, {@code >= 1}
     */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super("LinearLR", optimizer);
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException(name + ": startFactor must be in (0, 1], got " + startFactor);
        }
        if (!(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException(name + ": endFactor must be in [0, 1], got " + endFactor);
        }
        this.start = startFactor;
        this.end = endFactor;
        this.totalIters = (int) positive(name, "totalIters", totalIters);
        initialStep();
    }

    @Override
    double chained(int g, double lr) {
        if (lastEpoch == 0) {
            return lr * start;
        }
        if (lastEpoch > totalIters) {
            return lr;
        }
        return lr * (1. + (end - start) / (totalIters * start + (lastEpoch - 1) * (end - start)));
    }

    @Override
    double closedForm(int g) {
        return baseLrs[g] * (start + (end - start) * Math.min(totalIters, lastEpoch) / totalIters);
    }
}
