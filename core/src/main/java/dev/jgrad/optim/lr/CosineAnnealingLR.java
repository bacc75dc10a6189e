package dev.jgrad.optim.lr;

import dev.jgrad.optim.Optimizer;

/**
 * Cosine annealing from the base lr to {@code etaMin} over {@code tMax} epochs (then back up, a
 * period of {@code 2 tMax}): {@code lr = etaMin + (base - etaMin) * (1 + cos(pi * epoch / tMax)) / 2},
 * computed in PyTorch's recursive form
 * {@code lr = etaMin + (lr - etaMin) * (1 + cos(pi e / tMax)) / (1 + cos(pi (e - 1) / tMax))}, with
 * PyTorch's special case at the bottom of each period, so the sequence matches {@code CosineAnnealingLR}.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /**
     * @param tMax   epochs of the half period, {@code >= 1}
     * @param etaMin the lowest lr, {@code >= 0}
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super("CosineAnnealingLR", optimizer);
        this.tMax = (int) positive(name, "tMax", tMax);
        if (!(etaMin >= 0)) {
            throw new IllegalArgumentException(name + ": etaMin must be >= 0, got " + etaMin);
        }
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    double chained(int g, double lr) {
        if (lastEpoch == 0) {
            return lr;
        }
        if ((lastEpoch - 1 - tMax) % (2 * tMax) == 0) {
            return lr + (baseLrs[g] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
        }
        return (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                * (lr - etaMin) + etaMin;
    }

    @Override
    double closedForm(int g) {
        return etaMin + (baseLrs[g] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
    }
}
