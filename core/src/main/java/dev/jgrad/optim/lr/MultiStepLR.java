package dev.jgrad.optim.lr;

import dev.jgrad.optim.Optimizer;
import java.util.Arrays;

/**
 * Decays the lr by {@code gamma} at each milestone epoch (a milestone given twice decays twice):
 * {@code lr = base * gamma^(number of milestones <= epoch)}, as PyTorch's {@code MultiStepLR}.
 */
public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    /**
     * @param milestones epochs at which to decay, each {@code >= 0}
     * @param gamma      the decay factor, {@code > 0}
     */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super("MultiStepLR", optimizer);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        if (this.milestones.length > 0 && this.milestones[0] < 0) {
            throw new IllegalArgumentException(name + ": milestones must be >= 0, got " + Arrays.toString(milestones));
        }
        this.gamma = positive(name, "gamma", gamma);
        initialStep();
    }

    @Override
    double chained(int g, double lr) {
        int hits = 0;
        for (int m : milestones) {
            hits += m == lastEpoch ? 1 : 0;
        }
        return hits == 0 ? lr : lr * Math.pow(gamma, hits);
    }

    @Override
    double closedForm(int g) {
        int passed = 0;
        for (int m : milestones) {
            passed += m <= lastEpoch ? 1 : 0;
        }
        return baseLrs[g] * Math.pow(gamma, passed);
    }
}
