package dev.jgrad.optim.lr;

import dev.jgrad.optim.Optimizer;

/** Decays the lr by {@code gamma} every epoch: {@code lr = base * gamma^epoch}, as PyTorch's {@code ExponentialLR}. */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    /** @param gamma the decay factor per epoch, {@code > 0} */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super("ExponentialLR", optimizer);
        this.gamma = positive(name, "gamma", gamma);
        initialStep();
    }

    @Override
    double chained(int g, double lr) {
        return lastEpoch == 0 ? lr : lr * gamma;
    }

    @Override
    double closedForm(int g) {
        return baseLrs[g] * Math.pow(gamma, lastEpoch);
    }
}
