package dev.jgrad.optim.lr;

import dev.jgrad.optim.Optimizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs schedules one after another, switching at the milestone epochs (e.g. a LinearLR warm-up, then
 * cosine annealing), as PyTorch's {@code SequentialLR}: at each milestone the next schedule restarts at
 * its epoch 0 (its closed form), between milestones the active schedule steps normally.
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    /**
     * @param schedulers the schedules, all on {@code optimizer}, none a ReduceLROnPlateau or SequentialLR
     * @param milestones increasing epochs at which to switch, one fewer than the schedules
     */
    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        super("SequentialLR", optimizer);
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        if (this.schedulers.isEmpty() || milestones.length != this.schedulers.size() - 1) {
            throw new IllegalArgumentException(name + ": needs one more schedule than milestones, got "
                    + this.schedulers.size() + " schedules and milestones " + Arrays.toString(milestones));
        }
        for (int i = 0; i < this.schedulers.size(); i++) {
            LRScheduler s = this.schedulers.get(i);
            if (s.optimizer != optimizer || s instanceof ReduceLROnPlateau || s instanceof SequentialLR) {
                throw new IllegalArgumentException(name + ": schedule " + i + " (" + s.name + ") must be a plain"
                        + " schedule of the same optimizer");
            }
        }
        for (int i = 1; i < milestones.length; i++) {
            if (milestones[i] <= milestones[i - 1]) {
                throw new IllegalArgumentException(name + ": milestones must increase, got "
                        + Arrays.toString(milestones));
            }
        }
        lastEpoch = 0;
        double[] initial = baseLrs.clone();
        apply(initial);
        for (LRScheduler s : this.schedulers) {
            s.lastEpoch--;
        }
        this.schedulers.get(0).initialStep();
        apply(currentLrs());
    }

    @Override
    public void step() {
        lastEpoch++;
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= lastEpoch) {
            idx++;
        }
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) {
            s.stepTo(0);
        } else {
            s.step();
        }
        apply(currentLrs());
    }

    @Override
    double chained(int g, double lr) {
        return lr;
    }

    @Override
    double closedForm(int g) {
        return baseLrs[g];
    }

    @Override
    void saveExtra(Map<String, Double> m) {
        for (int i = 0; i < schedulers.size(); i++) {
            String prefix = "schedule." + i + ".";
            schedulers.get(i).stateDict().forEach((k, v) -> m.put(prefix + k, v));
        }
    }

    @Override
    void loadExtra(Map<String, Double> m) {
        for (int i = 0; i < schedulers.size(); i++) {
            String prefix = "schedule." + i + ".";
            Map<String, Double> own = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    own.put(k.substring(prefix.length()), v);
                }
            });
            schedulers.get(i).loadStateDict(own);
        }
    }
}
