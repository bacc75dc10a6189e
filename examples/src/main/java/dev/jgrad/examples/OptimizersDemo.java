package dev.jgrad.examples;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.data.DataLoader;
import dev.jgrad.data.TensorDataset;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Losses;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.RMSprop;
import dev.jgrad.optim.SGD;
import dev.jgrad.train.LinePlot;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * SGD, SGD with momentum, RMSprop and Adam training the same network (an MLP 2-32-32-3 with ReLU)
 * from the same initial weights, on the same mini-batches in the same order, to classify a
 * three-armed spiral: the whole data set's cross-entropy after every epoch, per optimizer, as a
 * table and as curves in one PNG. Plain SGD crawls through the spiral's long flat valleys; momentum
 * accumulates speed along them; RMSprop and Adam scale each parameter's step by its own gradient
 * history. Learning rates are each optimizer's usual order of magnitude (SGD 0.05 with and without
 * momentum 0.9, RMSprop and Adam 0.005).
 */
public final class OptimizersDemo {
    /** Points per spiral arm. */
    static final int PER_CLASS = 100;
    /** Arms (classes). */
    static final int CLASSES = 3;
    /** The mini-batch size. */
    static final int BATCH = 32;
    /** The default epochs. */
    static final int EPOCHS = 30;

    /**
     * The demo's outcome.
     *
     * @param losses   per optimizer, the whole data set's loss before training (index 0) and after each epoch
     * @param accuracy per optimizer, the training accuracy at the end
     * @param plot     the PNG written
     */
    public record Result(Map<String, double[]> losses, Map<String, Double> accuracy, Path plot) {
    }

    private OptimizersDemo() {
    }

    /**
     * Trains the network once per optimizer, prints the loss table and writes {@code optimizers.png}.
     *
     * @param out    where to print
     * @param outDir where the PNG goes
     * @param epochs epochs per optimizer
     * @param seed   seeds the initial weights and the shuffling (the data is fixed)
     * @return the curves, the accuracies and the PNG's path
     */
    public static Result run(PrintStream out, Path outDir, int epochs, long seed) {
        TensorDataset data = spiral();
        Map<String, Function<List<Tensor>, Optimizer>> optimizers = new LinkedHashMap<>();
        optimizers.put("SGD", p -> new SGD(p, 0.05));
        optimizers.put("SGD+momentum", p -> new SGD(p, 0.05, 0.9, 0, 0, false));
        optimizers.put("RMSprop", p -> new RMSprop(p, 0.005));
        optimizers.put("Adam", p -> new Adam(p, 0.005));
        Map<String, double[]> losses = new LinkedHashMap<>();
        Map<String, Double> accuracy = new LinkedHashMap<>();
        optimizers.forEach((name, make) -> {
            Tensor.manualSeed(seed); // same initial weights, same batch order
            Module net = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 32), new ReLU(),
                    new Linear(32, CLASSES));
            losses.put(name, train(net, make.apply(net.parameters()), data, epochs));
            accuracy.put(name, accuracy(net, data));
        });
        out.printf(Locale.ROOT, "3-arm spiral, %d points, MLP 2-32-32-3 (ReLU), cross-entropy, batch %d, %d epochs%n",
                CLASSES * PER_CLASS, BATCH, epochs);
        out.printf(Locale.ROOT, "%5s", "epoch");
        losses.keySet().forEach(k -> out.printf(Locale.ROOT, " %13s", k));
        out.println();
        double[] x = new double[epochs + 1];
        for (int e = 0; e <= epochs; e++) {
            x[e] = e;
            out.printf(Locale.ROOT, "%5d", e);
            for (double[] l : losses.values()) {
                out.printf(Locale.ROOT, " %13.4f", l[e]);
            }
            out.println();
        }
        out.printf(Locale.ROOT, "%5s", "acc");
        accuracy.values().forEach(a -> out.printf(Locale.ROOT, " %12.1f%%", 100 * a));
        out.println();
        LinePlot plot = new LinePlot("SGD, momentum, RMSprop and Adam on the same network", "epoch",
                "cross-entropy (whole data set)").logY(true);
        losses.forEach((name, l) -> plot.series(name, x, l));
        Path png = plot.write(outDir.resolve("optimizers.png"), 800, 500);
        out.println("wrote " + png);
        return new Result(losses, accuracy, png);
    }

    /** Three interleaved spiral arms in the plane, with a little noise (fixed seed). */
    static TensorDataset spiral() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = CLASSES * PER_CLASS;
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int c = 0; c < CLASSES; c++) {
            for (int i = 0; i < PER_CLASS; i++) {
                double r = i / (double) PER_CLASS;
                double t = c * 2 * Math.PI / CLASSES + 1.5 * Math.PI * r + 0.2 * (rng.nextDouble() - 0.5);
                int k = c * PER_CLASS + i;
                x[2 * k] = (float) (r * Math.cos(t));
                x[2 * k + 1] = (float) (r * Math.sin(t));
                y[k] = c;
            }
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    private static double[] train(Module net, Optimizer opt, TensorDataset data, int epochs) {
        DataLoader loader = new DataLoader(data, BATCH, true);
        double[] losses = new double[epochs + 1];
        losses[0] = fullLoss(net, data);
        for (int e = 1; e <= epochs; e++) {
            for (List<Tensor> batch : loader) {
                opt.zeroGrad();
                Losses.crossEntropy(net.forward(batch.get(0)), batch.get(1)).backward();
                opt.step();
            }
            losses[e] = fullLoss(net, data);
        }
        return losses;
    }

    private static double fullLoss(Module net, TensorDataset data) {
        try (var g = NoGrad.enter()) {
            return Losses.crossEntropy(net.forward(data.tensors().get(0)), data.tensors().get(1)).item();
        }
    }

    private static double accuracy(Module net, TensorDataset data) {
        try (var g = NoGrad.enter()) {
            long[] pred = net.forward(data.tensors().get(0)).argmax(1).toLongArray();
            long[] y = data.tensors().get(1).toLongArray();
            int right = 0;
            for (int i = 0; i < y.length; i++) {
                right += pred[i] == y[i] ? 1 : 0;
            }
            return right / (double) y.length;
        }
    }
}
