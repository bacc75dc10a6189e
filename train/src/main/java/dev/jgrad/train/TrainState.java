package dev.jgrad.train;

import dev.jgrad.Tensor;
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
 * A training state in one safetensors file: the model's state dict under {@code model.}, the
 * optimizer's under {@code optimizer.}, and as metadata the epoch, the default generator's state
 * (dropout and unseeded shuffling draw from it), the scheduler's step count and the history as CSV.
 */
final class TrainState {
    static final String FORMAT = "jgrad-train-state/1";

    /** What a resumed run continues from. */
    record Loaded(History history, int epoch, int schedulerSteps) {
    }

    private TrainState() {
    }

    static void save(Module model, Optimizer optimizer, History history, int schedulerSteps, Path file) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> tensors.put("model." + k, v));
        optimizer.stateDict().forEach((k, v) -> tensors.put("optimizer." + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("epoch", Long.toString((long) history.last("epoch")));
        meta.put("generator", Long.toString(Tensor.defaultGenerator().state()));
        meta.put("scheduler_steps", Integer.toString(schedulerSteps));
        meta.put("history", history.toCsv());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Trainer.saveState: cannot create the directory of " + file, e);
        }
        SafeTensors.save(tensors, meta, file);
    }

    /**
     * Loads everything into {@code model}, {@code optimizer} (each validates before changing anything)
     * and the default generator; a schedule is replayed to its saved step count before the optimizer's
     * saved lrs are restored, so its counters match and the lrs are exact.
     */
    static Loaded load(Path file, Module model, Optimizer optimizer, LRScheduler scheduler) {
        Map<String, String> meta = SafeTensors.metadata(file);
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException("Trainer.resumeFrom: " + file + " is not a training state (metadata"
                    + " format is " + meta.get("format") + ", expected " + FORMAT + "); a model-only file such as"
                    + " best.safetensors loads with Module.loadStateDict(SafeTensors.load(file))");
        }
        Map<String, Tensor> modelState = new LinkedHashMap<>();
        Map<String, Tensor> optimizerState = new LinkedHashMap<>();
        SafeTensors.load(file).forEach((k, v) -> {
            if (k.startsWith("model.")) {
                modelState.put(k.substring(6), v);
            } else if (k.startsWith("optimizer.")) {
                optimizerState.put(k.substring(10), v);
            } else {
                throw new IllegalArgumentException("Trainer.resumeFrom: " + file + ": unexpected tensor " + k
                        + " (expected model.* and optimizer.* entries)");
            }
        });
        model.loadStateDict(modelState);
        int schedulerSteps = Integer.parseInt(meta.get("scheduler_steps"));
        for (int i = 0; i < schedulerSteps && scheduler != null; i++) {
            scheduler.step();
        }
        optimizer.loadStateDict(optimizerState);
        Tensor.defaultGenerator().setState(Long.parseLong(meta.get("generator")));
        return new Loaded(History.fromCsv(meta.get("history")), Integer.parseInt(meta.get("epoch")), schedulerSteps);
    }
}
