package dev.jgrad.optim.lr;

import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.ParamGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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

    /**
     * The schedule's progress, for checkpoints (PyTorch's {@code state_dict}): {@code last_epoch},
     * {@code step_count}, {@code base_lr.G} and {@code last_lr.G} per parameter group, and what a
     * subclass adds (a plateau's best value, a sequence's schedules under {@code schedule.I.}).
     * The hyperparameters are the constructor's and are not included.
     *
     * @return a new ordered map
     */
    public Map<String, Double> stateDict() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("last_epoch", (double) lastEpoch);
        m.put("step_count", (double) stepCount);
        for (int g = 0; g < baseLrs.length; g++) {
            m.put("base_lr." + g, baseLrs[g]);
            m.put("last_lr." + g, lastLrs[g]);
        }
        saveExtra(m);
        return m;
    }

    /**
     * Restores a {@link #stateDict()} of a schedule of the same kind over an optimizer with as many
     * parameter groups. Every key is checked before anything changes.
     *
     * @throws IllegalArgumentException naming the schedule and the missing or extra keys
     */
    public void loadStateDict(Map<String, Double> state) {
        Map<String, Double> expected = stateDict();
        if (!expected.keySet().equals(Objects.requireNonNull(state, name + ": state").keySet())) {
            Set<String> missing = new TreeSet<>(expected.keySet());
            missing.removeAll(state.keySet());
            Set<String> extra = new TreeSet<>(state.keySet());
            extra.removeAll(expected.keySet());
            throw new IllegalArgumentException(name + ": the state does not fit this schedule: missing " + missing
                    + ", unexpected " + extra);
        }
        lastEpoch = (int) (double) state.get("last_epoch");
        stepCount = (int) (double) state.get("step_count");
        for (int g = 0; g < baseLrs.length; g++) {
            baseLrs[g] = state.get("base_lr." + g);
            lastLrs[g] = state.get("last_lr." + g);
        }
        loadExtra(state);
    }

    /** Adds a subclass's own progress to {@link #stateDict()}. */
    void saveExtra(Map<String, Double> m) {
    }

    /** Restores what {@link #saveExtra} wrote; the keys are already checked. */
    void loadExtra(Map<String, Double> m) {
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
