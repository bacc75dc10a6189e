package dev.jgrad.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * PyTorch 1.13's time per epoch for the same models on the same machine, as measured by
 * {@code benchmarks/compare/train_compare.py} into {@code benchmarks/results/train-compare.csv}
 * (columns {@code framework,model,seconds_per_epoch,test_accuracy,epochs}).
 */
final class TorchFigures {
    /** Resolved against the repository root, which ./jgrad passes as the system property {@code jgrad.root}. */
    static final Path FILE = Path.of(System.getProperty("jgrad.root", ".")).resolve("benchmarks/results/train-compare.csv");

    private TorchFigures() {
    }

    /** @return a line comparing {@code seconds} with PyTorch's figure for {@code model}, or saying how to measure it */
    static String line(String model, double seconds) {
        try {
            if (Files.isRegularFile(FILE)) {
                List<String> rows = Files.readAllLines(FILE);
                for (String row : rows) {
                    String[] c = row.split(",");
                    if (c.length >= 3 && c[0].equals("torch") && c[1].equals(model)) {
                        double torch = Double.parseDouble(c[2]);
                        return String.format(Locale.ROOT, "time per epoch: jgrad %.2f s, PyTorch 1.13 %.2f s"
                                + " (%s, measured by benchmarks/compare/train_compare.py; ratio %.2fx)", seconds, torch,
                                FILE, torch / seconds);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return "PyTorch's figure could not be read from " + FILE + ": " + e.getMessage();
        }
        return "PyTorch 1.13's time per epoch: not measured here yet (run /usr/bin/python3"
                + " benchmarks/compare/train_compare.py from the repository root)";
    }
}
