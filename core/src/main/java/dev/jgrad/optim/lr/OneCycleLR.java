package dev.jgrad.optim.lr;

import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.ParamGroup;

/**
 * The one-cycle policy (Smith) with PyTorch's defaults: over the first 30% of {@code totalSteps} the
 * lr rises from {@code maxLr / 25} to {@code maxLr}, then falls to {@code maxLr / 25 / 1e4}, both
 * with cosine annealing {@code lr = end + (start - end) / 2 * (1 + cos(pi * pct))}, where pct is the
 * fraction of the phase done. Phase ends are PyTorch's: {@code 0.3 * totalSteps - 1} and
 * {@code totalSteps - 1}. Stepping past {@code totalSteps} is an error. Unlike PyTorch's default,
 * momentum is not cycled (PyTorch's {@code cycle_momentum=False}): jgrad's momentum and betas are
 * fixed per optimizer.
 */
public final class OneCycleLR extends LRScheduler {
    private final int totalSteps;
    private final double[] maxLrs;
    private final double[] minLrs;
    private final double phase1End;

    /**
     * @param maxLr      the peak lr, {@code > 0}
     * @param totalSteps the length of the cycle in steps, {@code >= 1}
     */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        super("OneCycleLR", optimizer);
        positive(name, "maxLr", maxLr);
        this.totalSteps = (int) positive(name, "totalSteps", totalSteps);
        this.phase1End = (double) (0.3 * totalSteps) - 1;
        int n = optimizer.paramGroups().size();
        maxLrs = new double[n];
        minLrs = new double[n];
        for (int g = 0; g < n; g++) {
            ParamGroup group = optimizer.paramGroups().get(g);
            group.setInitialLr(maxLr / 25.);
            baseLrs[g] = group.initialLr();
            maxLrs[g] = maxLr;
            minLrs[g] = baseLrs[g] / 1e4;
        }
        initialStep();
    }

    @Override
    public void step() {
        if (lastEpoch + 1 > totalSteps) {
            throw new IllegalStateException(name + ": tried to step " + (lastEpoch + 2) + " times; the cycle has "
                    + totalSteps + " steps");
        }
        super.step();
    }

    @Override
    double chained(int g, double lr) {
        return closedForm(g);
    }

    @Override
    double closedForm(int g) {
        double step = lastEpoch;
        if (step <= phase1End) {
            return anneal(baseLrs[g], maxLrs[g], step / phase1End);
        }
        return anneal(maxLrs[g], minLrs[g], (step - phase1End) / (totalSteps - 1 - phase1End));
    }

    private static double anneal(double start, double end, double pct) {
        double cosOut = Math.cos(Math.PI * pct) + 1;
        return end + (start - end) / 2.0 * cosOut;
    }
}
