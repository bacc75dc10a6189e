package dev.jgrad.examples;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.nn.BatchNorm1d;
import dev.jgrad.nn.GradientReport;
import dev.jgrad.nn.Init;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.RemovableHandle;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import dev.jgrad.optim.GradClip;
import dev.jgrad.train.LinePlot;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The vanishing gradient, made visible: the same 20-layer depth built twice, once as a plain sigmoid
 * MLP, once with the remedies (ReLU, batch normalisation, residual connections), one backward pass
 * each on the same batch, and the per-layer {@link GradientReport} of both. In the sigmoid stack each
 * layer multiplies the gradient by at most {@code max σ' = 1/4} times its weights, so the first layers
 * receive almost nothing; the residual path carries the gradient past every block unchanged. The
 * remedied network's report also counts its dead ReLU units. The opposite failure comes third: 20
 * linear layers initialised twice too large double the gradient at every layer, the report flags
 * them exploding, and {@link GradClip#clipNorm} rescales the gradient to a bounded step. The
 * per-layer norms of the three networks go into one PNG, log scale.
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
            return x.add(block.call(x));
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

    /** @return 20 linear layers (no activation) whose weights are twice Xavier's scale: each doubles the signal */
    static Sequential explodingNet() {
        Sequential s = new Sequential();
        for (int i = 0; i < DEPTH; i++) {
            Linear l = new Linear(WIDTH, WIDTH);
            try (var g = NoGrad.enter()) {
                Init.normal(l.parameters().get(0), 0, 2 / Math.sqrt(WIDTH));
            }
            s.add(l);
        }
        return s;
    }

    /**
     * Runs the three networks, prints their reports and writes {@code vanishing.png}.
     *
     * @param out    where to print
     * @param outDir where the PNG goes
     * @return the reports: sigmoid, remedied, exploding, exploding after clipping to norm 1
     */
    public static List<GradientReport> run(PrintStream out, Path outDir) {
        Tensor.manualSeed(42);
        Tensor x = Tensor.randn(new SplittableRandom(1), 64, WIDTH);
        Tensor target = Tensor.randn(new SplittableRandom(2), 64, WIDTH);
        GradientReport plain = report(sigmoidNet(), x, target);
        Sequential remediedNet = remediedNet();
        GradientReport remedied;
        try (RemovableHandle h = GradientReport.trackDeadUnits(remediedNet)) {
            remedied = report(remediedNet, x, target);
        }
        Sequential explodingNet = explodingNet();
        GradientReport exploding = report(explodingNet, x, target);
        double total = GradClip.clipNorm(explodingNet.parameters(), 1.0);
        GradientReport clipped = GradientReport.of(explodingNet);
        out.printf(Locale.ROOT, "%d-layer sigmoid MLP, one backward of the MSE on a batch of 64:%n", DEPTH);
        printLayers(out, plain);
        out.printf(Locale.ROOT, "%nthe same depth with ReLU, BatchNorm and residual connections:%n");
        printLayers(out, remedied);
        printDead(out, remedied);
        out.printf(Locale.ROOT, "%n%d linear layers at twice Xavier's scale: every layer doubles the gradient:%n", DEPTH);
        printLayers(out, exploding);
        out.printf(Locale.ROOT, "total gradient norm %.3e; GradClip.clipNorm(params, 1.0) rescales it: exploding layers"
                + " before %d, after %d%n", total, exploding.layersWith(GradientReport.Status.EXPLODING).size(),
                clipped.layersWith(GradientReport.Status.EXPLODING).size());
        out.printf(Locale.ROOT, "%nvanishing layers: sigmoid %d of %d, remedied %d of %d%n",
                plain.layersWith(GradientReport.Status.VANISHING).size(), plain.layers().size(),
                remedied.layersWith(GradientReport.Status.VANISHING).size(), remedied.layers().size());
        out.println("wrote " + plot(outDir, plain, remedied, exploding));
        return List.of(plain, remedied, exploding, clipped);
    }

    private static GradientReport report(Module net, Tensor x, Tensor target) {
        Tensor diff = net.forward(x).sub(target);
        diff.mul(diff).mean().backward();
        return GradientReport.of(net);
    }

    /** The per-layer norm of each network's Linear layers (those with a 2-d weight), by depth. */
    private static Path plot(Path outDir, GradientReport plain, GradientReport remedied, GradientReport exploding) {
        double[] depth = new double[DEPTH];
        for (int i = 0; i < DEPTH; i++) {
            depth[i] = i + 1;
        }
        LinePlot p = new LinePlot("gradient norm per Linear layer, one backward", "layer (input side = 1)",
                "||grad|| (L2)").logY(true);
        p.series("20 sigmoid layers", depth, linearNorms(plain));
        p.series("ReLU + BatchNorm + residual", depth, linearNorms(remedied));
        p.series("linear, 2x Xavier (exploding)", depth, linearNorms(exploding));
        return p.write(outDir.resolve("vanishing.png"), 800, 500);
    }

    private static double[] linearNorms(GradientReport r) {
        Map<String, Double> byLayer = new HashMap<>();
        r.layers().forEach(l -> byLayer.put(l.name(), l.norm()));
        return r.parameters().stream().filter(p -> p.shape().length == 2)
                .mapToDouble(p -> byLayer.get(p.name().substring(0, p.name().lastIndexOf('.')))).toArray();
    }

    private static void printDead(PrintStream out, GradientReport r) {
        GradientReport.DeadUnits worst = r.deadUnits().stream()
                .max(Comparator.comparingDouble(GradientReport.DeadUnits::fraction)).orElseThrow();
        long dead = r.deadUnits().stream().mapToLong(GradientReport.DeadUnits::dead).sum();
        long units = r.deadUnits().stream().mapToLong(GradientReport.DeadUnits::units).sum();
        out.printf(Locale.ROOT, "dead ReLU units (0 for all 64 examples): %d of %d%s%n", dead, units, dead == 0 ? ""
                : String.format(Locale.ROOT, "; most in %s (%.1f%%)", worst.name(), 100 * worst.fraction()));
    }

    private static void printLayers(PrintStream out, GradientReport r) {
        for (GradientReport.Layer l : r.layers()) {
            out.printf(Locale.ROOT, "  %-16s %11.3e  %s%n", l.name(), l.norm(), l.status());
        }
    }
}
