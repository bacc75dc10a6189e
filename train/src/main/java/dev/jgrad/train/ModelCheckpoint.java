package dev.jgrad.train;

import dev.jgrad.io.SafeTensors;
import dev.jgrad.nn.Module;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps two files in a directory: {@code best.safetensors}, the model's state dict (PyTorch's keys,
 * loadable with {@link Module#loadStateDict}) from the epoch with the best monitored value, and
 * {@code last.safetensors}, the whole training state after the latest epoch, which
 * {@link Trainer#resumeFrom} continues from.
 */
public final class ModelCheckpoint implements Callback {
    private final Path dir;
    private final Monitor monitor;
    private double best = Double.NaN;

    /**
     * @param dir     where the files go (created when missing)
     * @param monitor decides which epoch is best; null keeps only {@code last.safetensors}
     */
    public ModelCheckpoint(Path dir, Monitor monitor) {
        this.dir = Objects.requireNonNull(dir, "ModelCheckpoint: dir");
        this.monitor = monitor;
    }

    @Override
    public String afterEpoch(Trainer trainer, Module model, History history) {
        trainer.saveState(model, history, last());
        if (monitor != null) {
            double v = monitor.read(history);
            if (monitor.improves(v, best, 0)) {
                best = v;
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
