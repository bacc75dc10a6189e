package dev.jgrad.examples;

import dev.jgrad.Tensor;
import dev.jgrad.nn.BatchNorm1d;
import dev.jgrad.nn.GradientReport;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The vanishing gradient, made visible: the same 20-layer depth built twice, once as a plain sigmoid
 * MLP, once with the remedies (ReLU, batch normalisation, residual connections), one backward pass
 * each on the same batch, and the per-layer {@link GradientReport} of both. In the sigmoid stack each
 * layer multiplies the gradient by at most {@code max σ' = 1/4} times its weights, so the first layers
 * receive almost nothing; the residual path carries the gradient past every block unchanged.
 */
public final class VanishingDemo {
    /** Layers in each network. */
    static final int DEPTH = 20;
    /** Units per layer. */
    static final int WIDTH = 32;

    private VanishingDemo() {
    }

    /** {@code x + block(x)}: the residual connection of ResNets. */
    static final class Residual extends Module {
        private final Module block;

        Residual(Module block) {
            this.block = register("block", block);
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.add(block.forward(x));
        }
    }

    /** @return a 20-layer sigmoid MLP (layers named 0, 2, 4, ...) */
    static Sequential sigmoidNet() {
        Sequential s = new Sequential();
        for (int i = 0; i < DEPTH; i++) {
            s.add(new Linear(WIDTH, WIDTH)).add(new Sigmoid());
        }
        return s;
    }

    /** @return 20 residual blocks of Linear, BatchNorm, ReLU */
    static Sequential remediedNet() {
        Sequential s = new Sequential();
        for (int i = 0; i < DEPTH; i++) {
            s.add(new Residual(new Sequential(new Linear(WIDTH, WIDTH), new BatchNorm1d(WIDTH), new ReLU())));
        }
        return s;
    }

    /**
     * Runs both networks and prints their reports.
     *
     * @param out where to print
     * @return the two reports, sigmoid first
     */
    public static List<GradientReport> run(PrintStream out) {
        Tensor.manualSeed(42);
        Tensor x = Tensor.randn(new SplittableRandom(1), 64, WIDTH);
        Tensor target = Tensor.randn(new SplittableRandom(2), 64, WIDTH);
        GradientReport plain = report(sigmoidNet(), x, target);
        GradientReport remedied = report(remediedNet(), x, target);
        out.printf(Locale.ROOT, "%d-layer sigmoid MLP, one backward of the MSE on a batch of 64:%n", DEPTH);
        printLayers(out, plain);
        out.printf(Locale.ROOT, "%nthe same depth with ReLU, BatchNorm and residual connections:%n");
        printLayers(out, remedied);
        out.printf(Locale.ROOT, "%nvanishing layers: sigmoid %d of %d, remedied %d of %d%n",
                plain.layersWith(GradientReport.Status.VANISHING).size(), plain.layers().size(),
                remedied.layersWith(GradientReport.Status.VANISHING).size(), remedied.layers().size());
        return List.of(plain, remedied);
    }

    private static GradientReport report(Module net, Tensor x, Tensor target) {
        Tensor diff = net.forward(x).sub(target);
        diff.mul(diff).mean().backward();
        return GradientReport.of(net);
    }

    private static void printLayers(PrintStream out, GradientReport r) {
        for (GradientReport.Layer l : r.layers()) {
            out.printf(Locale.ROOT, "  %-16s %11.3e  %s%n", l.name(), l.norm(), l.status());
        }
    }
}
