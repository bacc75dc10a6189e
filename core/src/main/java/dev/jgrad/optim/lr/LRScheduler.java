package dev.jgrad.optim.lr;

import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.ParamGroup;
import java.util.List;
import java.util.Objects;

/**
 * A learning-rate schedule: each {@link #step()} (once per epoch or iteration, after the optimizer's
 * step) sets every parameter group's lr to the next value, exactly as PyTorch 1.13's schedulers do
 * it, step for step. Schedules that change the lr multiplicatively are computed in PyTorch's
 * chained (recursive) form from the group's current lr, so several schedules can be combined.
 *
 * <p>The first scheduler attached to an optimizer records each group's current lr as its
 * {@link ParamGroup#initialLr()}; every schedule starts from those base rates. Constructing a
 * scheduler takes its step 0 (sets the lr for the first epoch), as in PyTorch.
 */
public abstract class LRScheduler {
    final Optimizer optimizer;
    final String name;
    final double[] baseLrs;
    /** The epoch (step count minus one) the current lrs belong to; -1 before the initial step. */
    int lastEpoch = -1;
    int stepCount;
    private double[] lastLrs;

    LRScheduler(String name, Optimizer optimizer) {
        this.name = name;
        this.optimizer = Objects.requireNonNull(optimizer, name + ": optimizer");
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int g = 0; g < baseLrs.length; g++) {
            if (Double.isNaN(groups.get(g).initialLr())) {
                groups.get(g).setInitialLr(groups.get(g).lr());
            }
            baseLrs[g] = groups.get(g).initialLr();
        }
        lastLrs = currentLrs();
    }

    /**
     * The chained rule: group lr at {@link #lastEpoch} from the lr at the previous epoch.
     *
     * @param g  the parameter group (its base lr is {@code baseLrs[g]})
     * @param lr the group's current lr
     */
    abstract double chained(int g, double lr);

    /** The closed form at {@link #lastEpoch}, used when a schedule is restarted at an epoch (SequentialLR). */
    abstract double closedForm(int g);

    /** Advances the schedule by one epoch and sets every group's lr. */
    public void step() {
        stepCount++;
        lastEpoch++;
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] next = new double[groups.size()];
        for (int g = 0; g < next.length; g++) {
            next[g] = chained(g, groups.get(g).lr());
        }
        apply(next);
    }

    /** Jumps to {@code epoch} with the closed form (PyTorch's {@code step(epoch)}). */
    void stepTo(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        double[] next = new double[baseLrs.length];
        for (int g = 0; g < next.length; g++) {
            next[g] = closedForm(g);
        }
        apply(next);
    }

    /** PyTorch's {@code _initial_step}: resets the step count and takes step 0. */
    final void initialStep() {
        stepCount = 0;
        step();
    }

    final void apply(double[] lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int g = 0; g < lrs.length; g++) {
            groups.get(g).setLr(lrs[g]);
        }
        lastLrs = currentLrs();
    }

    final double[] currentLrs() {
        return optimizer.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
    }

    /** @return the lr this schedule last set on the first parameter group (PyTorch's {@code get_last_lr()[0]}) */
    public double lastLr() {
        return lastLrs[0];
    }

    /** @return the lr this schedule last set on each parameter group */
    public double[] lastLrs() {
        return lastLrs.clone();
    }

    /** @return the optimizer this schedule drives */
    public Optimizer optimizer() {
        return optimizer;
    }

    static double positive(String name, String what, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(name + ": " + what + " must be > 0, got " + v);
        }
        return v;
    }
}
