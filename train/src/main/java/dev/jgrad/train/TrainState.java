package dev.jgrad.train;

import dev.jgrad.io.Checkpoint;
import dev.jgrad.io.SafeTensors;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.lr.LRScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training state is an {@link Checkpoint} (model, optimizer, schedule and default-generator state
 * in one atomically written safetensors file) whose metadata also holds the Trainer's own progress:
 * the last completed epoch, the optimizer steps taken and the history as CSV.
 */
final class TrainState {
    static final String EPOCH = "train.epoch";
    static final String STEP = "train.step";
    static final String HISTORY = "train.history";

    /** What a resumed run continues from. */
    record Loaded(History history, int epoch, long step) {
    }

    private TrainState() {
    }

    static void save(Module model, Optimizer optimizer, LRScheduler scheduler, History history, long step,
            Path file) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(EPOCH, Long.toString((long) history.last("epoch")));
        meta.put(STEP, Long.toString(step));
        meta.put(HISTORY, history.toCsv());
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("Trainer.saveState: cannot create the directory " + parent, e);
        }
        Checkpoint.save(file, model, optimizer, scheduler, meta);
    }

    /**
     * Checks the Trainer's metadata first (so a model-only file is refused before anything changes),
     * then restores model, optimizer, schedule and default generator through {@link Checkpoint#load}.
     */
    static Loaded load(Path file, Module model, Optimizer optimizer, LRScheduler scheduler) {
        Map<String, String> meta = SafeTensors.metadata(file);
        if (meta.get(EPOCH) == null || meta.get(HISTORY) == null || meta.get(STEP) == null) {
            throw new IllegalArgumentException("Trainer.resumeFrom: " + file + " is not a training state (no "
                    + EPOCH + ", " + STEP + " and " + HISTORY + " metadata); a model-only file such as"
                    + " best.safetensors loads with Module.loadStateDict(SafeTensors.load(file))");
        }
        Checkpoint.load(file, model, optimizer, scheduler);
        return new Loaded(History.fromCsv(meta.get(HISTORY)), Integer.parseInt(meta.get(EPOCH)),
                Long.parseLong(meta.get(STEP)));
    }
}
