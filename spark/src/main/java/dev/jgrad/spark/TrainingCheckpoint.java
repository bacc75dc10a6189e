package dev.jgrad.spark;

import dev.jgrad.io.Checkpoint;
import dev.jgrad.io.SafeTensors;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.lr.LRScheduler;
import java.nio.file.Path;
import java.util.Map;

/**
 * A driver checkpoint is the local one ({@link Checkpoint}: model, optimizer, schedule and generator
 * state, written atomically) with the completed round count as metadata {@code spark.round}.
 */
final class TrainingCheckpoint {
    static final String ROUND = "spark.round";

    private TrainingCheckpoint() {
    }

    static void save(Path file, Module model, Optimizer opt, LRScheduler sched, long round) {
        Checkpoint.save(file, model, opt, sched, Map.of(ROUND, Long.toString(round)));
    }

    /** @return the round stored in {@code file}'s metadata, read before anything is loaded */
    static long round(Path file) {
        String r = SafeTensors.metadata(file).get(ROUND);
        if (r == null) {
            throw new IllegalArgumentException("SparkTrainer.resume: " + file + " has no '" + ROUND
                    + "' metadata; it is not a SparkTrainer checkpoint");
        }
        return Long.parseLong(r);
    }
}
