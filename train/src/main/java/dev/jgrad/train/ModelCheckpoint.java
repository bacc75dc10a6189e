package dev.jgrad.train;

import dev.jgrad.io.SafeTensors;
import dev.jgrad.nn.Module;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps two files in a directory: {@code best.safetensors}, the model's state dict (PyTorch's keys,
 * loadable with {@link Module#loadStateDict}) from the epoch with the best monitored value, and
 * {@code last.safetensors}, the whole training state after the latest epoch (an
 * {@link dev.jgrad.io.Checkpoint} with the Trainer's epoch, step and history as metadata), which
 * {@link Trainer#resumeFrom} continues from.
 */
public final class ModelCheckpoint implements Callback {
    private final Path dir;
    private final Monitor monitor;

    /**
     * @param dir     where the files go (created when missing)
     * @param monitor decides which epoch is best; null keeps only {@code last.safetensors}
     */
    public ModelCheckpoint(Path dir, Monitor monitor) {
        this.dir = Objects.requireNonNull(dir, "ModelCheckpoint: dir");
        this.monitor = monitor;
    }

    /**
     * The best so far is taken from the history's earlier rows, not kept between calls, so a resumed
     * run (whose history is restored) replaces {@code best.safetensors} only on a real improvement.
     */
    @Override
    public String afterEpoch(Trainer trainer, Module model, History history) {
        trainer.saveState(model, history, last());
        if (monitor != null) {
            double v = monitor.read(history);
            double[] values = history.column(monitor.column());
            double best = Double.NaN;
            for (int i = 0; i < values.length - 1; i++) {
                best = monitor.improves(values[i], best, 0) ? values[i] : best;
            }
            if (monitor.improves(v, best, 0)) {
                Map<String, String> meta = Map.of("epoch", Long.toString((long) history.last("epoch")),
                        monitor.column(), Double.toString(v));
                SafeTensors.save(model.stateDict(), meta, best());
            }
        }
        return null;
    }

    /** @return the best model's file */
    public Path best() {
        return dir.resolve("best.safetensors");
    }

    /** @return the latest training state's file */
    public Path last() {
        return dir.resolve("last.safetensors");
    }
}
