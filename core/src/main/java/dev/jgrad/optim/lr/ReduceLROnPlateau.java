package dev.jgrad.optim.lr;

import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.ParamGroup;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Multiplies the lr by {@code factor} when a metric has stopped improving for more than
 * {@code patience} epochs, as PyTorch's {@code ReduceLROnPlateau} with its relative threshold (a value
 * counts as better than the best when below {@code best * (1 - threshold)} in MIN mode, above
 * {@code best * (1 + threshold)} in MAX mode), no cooldown, a minimum lr of 0 and PyTorch's rule of
 * skipping reductions smaller than 1e-8. Driven by {@link #step(double)}; the plain {@link #step()}
 * has no metric and throws.
 */
public final class ReduceLROnPlateau extends LRScheduler {
    private static final double EPS = 1e-8;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private double best;
    private int badEpochs;

    /** Whether a smaller or a larger metric is better. */
    public enum Mode {
        /** a loss: lower is better */
        MIN,
        /** an accuracy: higher is better */
        MAX
    }

    /**
     * @param mode      whether the metric should fall or rise
     * @param factor    the lr multiplier on a plateau, in [0, 1)
     * @param patience  epochs without improvement tolerated, {@code >= 0}
     * @param threshold the relative improvement that counts, {@code >= 0}
     */
    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold) {
        super("ReduceLROnPlateau", optimizer);
        this.mode = Objects.requireNonNull(mode, name + ": mode");
        if (!(factor >= 0 && factor < 1)) {
            throw new IllegalArgumentException(name + ": factor must be in [0, 1), got " + factor);
        }
        if (patience < 0) {
            throw new IllegalArgumentException(name + ": patience must be >= 0, got " + patience);
        }
        if (!(threshold >= 0)) {
            throw new IllegalArgumentException(name + ": threshold must be >= 0, got " + threshold);
        }
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        this.lastEpoch = 0;
    }

    /** @throws IllegalStateException always: this schedule needs the metric, {@link #step(double)} */
    @Override
    public void step() {
        throw new IllegalStateException(name + ": step() needs the monitored metric; call step(metric)");
    }

    /**
     * Records one epoch's metric and reduces every group's lr after more than {@code patience} epochs
     * without improvement.
     */
    public void step(double metric) {
        lastEpoch++;
        boolean better = mode == Mode.MIN ? metric < best * (1 - threshold) : metric > best * (threshold + 1);
        if (better) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (badEpochs > patience) {
            List<ParamGroup> groups = optimizer.paramGroups();
            double[] lrs = currentLrs();
            for (int g = 0; g < lrs.length; g++) {
                double next = Math.max(lrs[g] * factor, 0);
                if (lrs[g] - next > EPS) {
                    lrs[g] = next;
                }
            }
            apply(lrs);
            badEpochs = 0;
        } else {
            apply(currentLrs());
        }
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
        m.put("best", best);
        m.put("num_bad_epochs", (double) badEpochs);
    }

    @Override
    void loadExtra(Map<String, Double> m) {
        best = m.get("best");
        badEpochs = (int) (double) m.get("num_bad_epochs");
    }
}
