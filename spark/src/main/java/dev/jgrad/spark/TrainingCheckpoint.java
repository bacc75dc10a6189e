package dev.jgrad.spark;

import dev.jgrad.Tensor;
import dev.jgrad.io.SafeTensors;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A driver checkpoint: one SafeTensors file with {@code model.<key>} (the module's state dict),
 * {@code optimizer.<key>} (the optimizer's state dict) and metadata {@code round}.
 */
final class TrainingCheckpoint {
    static final String MODEL = "model.";
    static final String OPTIMIZER = "optimizer.";

    private TrainingCheckpoint() {
    }

    /** Writes atomically (temporary file, then a move), so a crash never leaves half a checkpoint. */
    static void save(Path file, Module model, Optimizer opt, long round) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> all.put(MODEL + k, v));
        opt.stateDict().forEach((k, v) -> all.put(OPTIMIZER + k, v));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        SafeTensors.save(all, Map.of("round", Long.toString(round), "format", "jgrad-spark/1"), tmp);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: cannot move checkpoint " + tmp + " to " + file, e);
        }
    }

    /** @return the round stored in {@code file}'s metadata */
    static long round(Path file) {
        String r = SafeTensors.metadata(file).get("round");
        if (r == null) {
            throw new IllegalArgumentException("SparkTrainer.resume: " + file
                    + " has no 'round' metadata; it is not a SparkTrainer checkpoint");
        }
        return Long.parseLong(r);
    }

    /** @return the entries under {@code prefix}, with the prefix removed */
    static Map<String, Tensor> part(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
