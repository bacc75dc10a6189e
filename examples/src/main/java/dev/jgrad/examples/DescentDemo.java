package dev.jgrad.examples;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.data.DataLoader;
import dev.jgrad.data.TensorDataset;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Losses;
import dev.jgrad.optim.SGD;
import dev.jgrad.train.LinePlot;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Batch, stochastic and mini-batch gradient descent side by side: the same linear regression
 * ({@value #EXAMPLES} noisy examples of {@code y = x·w* + b*} with {@value #FEATURES} features), the
 * same initial weights, the same learning rate and the same number of epochs; only the batch size
 * differs: all {@value #EXAMPLES} examples (one update per epoch), one example ({@value #EXAMPLES}
 * updates per epoch, each from a noisy single-example gradient), or {@value #MINI_BATCH} (a few
 * updates per epoch from averaged gradients). After every epoch the whole data set's MSE is printed
 * per method and drawn in one PNG: per epoch, batch descent moves slowest and most smoothly,
 * stochastic descent fastest but it keeps jittering around the minimum, mini-batch in between.
 */
public final class DescentDemo {
    /** Examples in the data set. */
    static final int EXAMPLES = 256;
    /** Input features. */
    static final int FEATURES = 4;
    /** The mini-batch size. */
    static final int MINI_BATCH = 16;
    /** The learning rate, the same for every method. */
    static final double LEARNING_RATE = 0.02;
    /** The epochs, the same for every method. */
    static final int EPOCHS = 20;

    /**
     * The demo's outcome.
     *
     * @param losses per method ({@code batch}, {@code stochastic}, {@code mini-batch}) the whole data
     *               set's MSE before training (index 0) and after each epoch
     * @param plot   the PNG written
     */
    public record Result(Map<String, double[]> losses, Path plot) {
    }

    private DescentDemo() {
    }

    /**
     * Trains the three ways, prints the loss table and writes {@code descent.png}.
     *
     * @param out    where to print
     * @param outDir where the PNG goes
     * @param epochs epochs per method
     * @param seed   seeds the data, the initial weights and the shuffling
     * @return the losses and the PNG's path
     */
    public static Result run(PrintStream out, Path outDir, int epochs, long seed) {
        TensorDataset data = data(seed);
        Map<String, Integer> batchSizes = new LinkedHashMap<>();
        batchSizes.put("batch", EXAMPLES);
        batchSizes.put("stochastic", 1);
        batchSizes.put("mini-batch", MINI_BATCH);
        Map<String, double[]> losses = new LinkedHashMap<>();
        batchSizes.forEach((name, size) -> losses.put(name, train(data, size, epochs, seed)));
        out.printf(Locale.ROOT, "linear regression, %d examples, %d features, MSE, SGD lr %.2f, %d epochs;"
                + " updates per epoch: batch 1, stochastic %d, mini-batch (%d) %d%n", EXAMPLES, FEATURES,
                LEARNING_RATE, epochs, EXAMPLES, MINI_BATCH, EXAMPLES / MINI_BATCH);
        out.printf(Locale.ROOT, "%5s %12s %12s %12s%n", "epoch", "batch", "stochastic", "mini-batch");
        double[] x = new double[epochs + 1];
        for (int e = 0; e <= epochs; e++) {
            x[e] = e;
            out.printf(Locale.ROOT, "%5d %12.5f %12.5f %12.5f%n", e, losses.get("batch")[e], losses.get("stochastic")[e],
                    losses.get("mini-batch")[e]);
        }
        LinePlot plot = new LinePlot("batch vs stochastic vs mini-batch gradient descent", "epoch", "MSE (whole data set)")
                .logY(true);
        losses.forEach((name, l) -> plot.series(name, x, l));
        Path png = plot.write(outDir.resolve("descent.png"), 800, 500);
        out.println("wrote " + png);
        return new Result(losses, png);
    }

    /** {@code y = x·w* + b* + 0.1·noise}, x standard normal. */
    private static TensorDataset data(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, EXAMPLES, FEATURES);
        Tensor w = Tensor.of(new float[] {2, -3, 0.5f, 1}, FEATURES, 1);
        Tensor y = x.matmul(w).add(Tensor.scalar(0.7)).add(Tensor.randn(rng, EXAMPLES, 1).mul(0.1));
        return new TensorDataset(x, y);
    }

    /** @return the whole data set's MSE before training and after each epoch */
    private static double[] train(TensorDataset data, int batchSize, int epochs, long seed) {
        Tensor.manualSeed(seed); // the same initial weights and the same shuffling for every method
        Linear model = new Linear(FEATURES, 1);
        SGD opt = new SGD(model.parameters(), LEARNING_RATE);
        DataLoader loader = new DataLoader(data, batchSize, true);
        double[] losses = new double[epochs + 1];
        losses[0] = fullLoss(model, data);
        for (int e = 1; e <= epochs; e++) {
            for (List<Tensor> batch : loader) {
                opt.zeroGrad();
                Losses.mse(model.forward(batch.get(0)), batch.get(1)).backward();
                opt.step();
            }
            losses[e] = fullLoss(model, data);
        }
        return losses;
    }

    private static double fullLoss(Linear model, TensorDataset data) {
        try (var g = NoGrad.enter()) {
            return Losses.mse(model.forward(data.tensors().get(0)), data.tensors().get(1)).item();
        }
    }
}
