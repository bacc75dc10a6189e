package dev.jgrad.optim.lr;

import dev.jgrad.optim.Optimizer;

/**
 * Decays the lr by {@code gamma} every {@code stepSize} epochs: {@code lr = base * gamma^floor(epoch / stepSize)},
 * as PyTorch's {@code StepLR} (computed in its chained form: {@code lr *= gamma} at each multiple of stepSize).
 */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /**
     * @param stepSize epochs between decays, {@code >= 1}
     * @param gamma    the decay factor, {@code > 0}
     */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super("StepLR", optimizer);
        this.stepSize = (int) positive(name, "stepSize", stepSize);
        this.gamma = positive(name, "gamma", gamma);
        initialStep();
    }

    @Override
    double chained(int g, double lr) {
        return lastEpoch == 0 || lastEpoch % stepSize != 0 ? lr : lr * gamma;
    }

    @Override
    double closedForm(int g) {
        return baseLrs[g] * Math.pow(gamma, lastEpoch / stepSize);
    }
}
