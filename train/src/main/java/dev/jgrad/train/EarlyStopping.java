package dev.jgrad.train;

import dev.jgrad.nn.Module;
import java.util.Locale;
import java.util.Objects;

/**
 * Stops training when a monitored History column has not improved by more than {@code minDelta} for
 * {@code patience} epochs in a row (Keras' {@code EarlyStopping}).
 */
public final class EarlyStopping implements Callback {
    private final Monitor monitor;
    private final int patience;
    private final double minDelta;
    private double best = Double.NaN;
    private int bestEpoch;
    private int waited;

    /**
     * @param monitor  the column to watch, e.g. {@code Monitor.of("val_loss")}
     * @param patience epochs without improvement to tolerate, {@code >= 1}
     * @param minDelta the least change that counts as an improvement, {@code >= 0}
     */
    public EarlyStopping(Monitor monitor, int patience, double minDelta) {
        if (patience < 1 || !(minDelta >= 0)) {
            throw new IllegalArgumentException("EarlyStopping: needs patience >= 1 and minDelta >= 0, got patience "
                    + patience + ", minDelta " + minDelta);
        }
        this.monitor = Objects.requireNonNull(monitor, "EarlyStopping: monitor");
        this.patience = patience;
        this.minDelta = minDelta;
    }

    @Override
    public String afterEpoch(Trainer trainer, Module model, History history) {
        double v = monitor.read(history);
        int epoch = (int) history.last("epoch");
        if (monitor.improves(v, best, minDelta)) {
            best = v;
            bestEpoch = epoch;
            waited = 0;
            return null;
        }
        waited++;
        return waited < patience ? null : String.format(Locale.ROOT,
                "early stopping after epoch %d: %s has not improved on %.6g (epoch %d) for %d epochs", epoch,
                monitor.column(), best, bestEpoch, waited);
    }

    /** @return the best value seen, NaN before the first epoch */
    public double best() {
        return best;
    }
}
