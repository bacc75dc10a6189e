package dev.jgrad.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * PyTorch 1.13's time per epoch for the same models on the same machine, as measured by
 * {@code benchmarks/compare/train_compare.py} (jgrad and PyTorch alternating epochs in one run) into
 * {@code benchmarks/results/train-compare.csv} (columns {@code framework,model,seconds_per_epoch,
 * best_seconds,test_accuracy,epochs,examples,threads}; seconds_per_epoch is the median).
 */
final class TorchFigures {
    /** Resolved against the repository root, which ./jgrad passes as the system property {@code jgrad.root}. */
    static final Path FILE = Path.of(System.getProperty("jgrad.root", ".")).resolve("benchmarks/results/train-compare.csv");

    private TorchFigures() {
    }

    /**
     * @param model    {@code mlp} or {@code cnn}
     * @param seconds  this run's time per epoch
     * @param examples this run's training images per epoch
     * @return a line comparing {@code seconds} with PyTorch's figure for {@code model}, or saying how to measure it
     */
    static String line(String model, double seconds, int examples) {
        try {
            if (Files.isRegularFile(FILE)) {
                for (String row : Files.readAllLines(FILE)) {
                    String[] c = row.split(",");
                    if (c.length >= 8 && c[0].equals("torch") && c[1].equals(model)) {
                        return describe(c, seconds, examples);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return "PyTorch's figure could not be read from " + FILE + ": " + e.getMessage();
        }
        return "PyTorch 1.13's time per epoch: not measured here yet (build, then run /usr/bin/python3"
                + " benchmarks/compare/train_compare.py from the repository root)";
    }

    private static String describe(String[] c, double seconds, int examples) {
        double torch = Double.parseDouble(c[2]);
        int torchExamples = Integer.parseInt(c[6]);
        String measured = String.format(Locale.ROOT, "PyTorch 1.13 %.2f s per epoch of %d images (%s threads,"
                + " median of %s epochs alternating with jgrad, test accuracy %.2f%%; %s)", torch, torchExamples, c[7],
                c[5], 100 * Double.parseDouble(c[4]), FILE);
        if (torchExamples != examples) {
            return "time per epoch: " + measured + "; not comparable with this run's " + examples + " images";
        }
        return String.format(Locale.ROOT, "time per epoch: jgrad %.2f s, %s: jgrad %.2fx faster", seconds, measured,
                torch / seconds);
    }
}
