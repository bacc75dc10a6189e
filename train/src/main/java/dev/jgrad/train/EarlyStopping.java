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

    /**
     * Scans the whole history rather than keeping counts between calls, so that a run resumed from a
     * checkpoint (whose history is restored) stops exactly where the uninterrupted run would.
     */
    @Override
    public String afterEpoch(Trainer trainer, Module model, History history) {
        monitor.read(history);
        double[] values = history.column(monitor.column());
        double[] epochs = history.column("epoch");
        best = Double.NaN;
        int waited = 0;
        for (int i = 0; i < values.length; i++) {
            if (monitor.improves(values[i], best, minDelta)) {
                best = values[i];
                bestEpoch = (int) epochs[i];
                waited = 0;
            } else {
                waited++;
            }
        }
        return waited < patience ? null : String.format(Locale.ROOT,
                "early stopping after epoch %d: %s has not improved on %.6g (epoch %d) for %d epochs",
                (int) history.last("epoch"), monitor.column(), best, bestEpoch, waited);
    }

    /** @return the best value seen, NaN before the first epoch */
    public double best() {
        return best;
    }
}
