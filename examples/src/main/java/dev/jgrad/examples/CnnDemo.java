package dev.jgrad.examples;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.data.DataLoader;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.TensorDataset;
import dev.jgrad.io.SafeTensors;
import dev.jgrad.nn.BatchNorm2d;
import dev.jgrad.nn.Conv2d;
import dev.jgrad.nn.Dropout;
import dev.jgrad.nn.Flatten;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Losses;
import dev.jgrad.nn.MaxPool2d;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.lr.CosineAnnealingLR;
import dev.jgrad.train.History;
import dev.jgrad.train.Output;
import dev.jgrad.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A small CNN trained with {@link Trainer}: Conv2d–BatchNorm2d–ReLU–MaxPool2d twice, Dropout,
 * Linear, Adam on mini-batches, cross-entropy; on the bundled 8×8 digits ({@link #digits}) or on
 * Fashion-MNIST's 28×28 images ({@link #fashionMnist}). Writes the history (CSV), its plots (PNG)
 * and the model (safetensors), then reloads the model into a fresh network and checks that it
 * predicts the same.
 */
public final class CnnDemo {
    /**
     * What a run produced.
     *
     * @param testAccuracy      the fraction of test images classified right
     * @param secondsPerEpoch   mean training time per epoch
     * @param examplesPerSecond training examples per second over all epochs
     * @param history           every epoch's figures
     * @param sameAfterReload   whether the reloaded model's test logits equal the trained model's exactly
     */
    public record Result(double testAccuracy, double secondsPerEpoch, double examplesPerSecond, History history,
            boolean sameAfterReload) {
    }

    private CnnDemo() {
    }

    /**
     * The network for {@code size}×{@code size} single-channel images: channels 1→c→2c, each 3×3
     * convolution keeping the size, each pooling halving it.
     *
     * @param size     image side, divisible by 4
     * @param channels channels of the first convolution
     * @return a fresh model, initialised from the default generator
     */
    public static Module cnn(int size, int channels) {
        int side = size / 4;
        return new Sequential(
                new Conv2d(1, channels, 3, 1, 1), new BatchNorm2d(channels), new ReLU(), new MaxPool2d(2),
                new Conv2d(channels, 2 * channels, 3, 1, 1), new BatchNorm2d(2 * channels), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Dropout(0.25), new Linear(2 * channels * side * side, 10));
    }

    /**
     * Trains on the bundled digits ({@link Datasets#digits()}: 1,437 train, 360 test).
     *
     * @param o   the options
     * @param out where to print
     * @return the run's figures
     */
    public static Result digits(DemoOptions o, PrintStream out) {
        Datasets.Split split = Datasets.digits();
        out.println("digits: 8x8 handwritten digits, " + split.train().size() + " train / " + split.test().size()
                + " test; CNN conv16-bn-relu-pool, conv32-bn-relu-pool, dropout, linear; Adam, batch 32");
        return run("digits", images(split.train(), 8, o.limit()), images(split.test(), 8, 0), () -> cnn(8, 16), 32,
                3e-3, false, o, out);
    }

    /**
     * Trains on Fashion-MNIST ({@link Datasets#fashionMnist()}: 60,000 train, 10,000 test).
     *
     * @param o   the options
     * @param out where to print
     * @return the run's figures
     */
    public static Result fashionMnist(DemoOptions o, PrintStream out) {
        Datasets.Split split = Datasets.fashionMnist();
        TensorDataset train = images(split.train(), 28, o.limit());
        TensorDataset test = images(split.test(), 28, o.limit());
        boolean mlp = o.model().equals("mlp");
        out.println("fashion-mnist: 28x28 clothing images, " + train.size() + " train / " + test.size() + " test; "
                + (mlp ? "MLP 784-256-10" : "CNN conv32-relu-pool, conv64-relu-pool, linear 3136-128-relu-10")
                + "; Adam lr 1e-3 with a per-step cosine decay, batch 64");
        return run("fashion-mnist", train, test, mlp ? CnnDemo::mlp : CnnDemo::fashionCnn, 64, 1e-3, true, o, out);
    }

    /**
     * The CNN of the nn issue's benchmark (and of {@code benchmarks/compare/train_compare.py}), for
     * {@code [n, 1, 28, 28]} images: Conv2d 1→32 3×3 pad 1, ReLU, MaxPool 2, Conv2d 32→64 3×3 pad 1,
     * ReLU, MaxPool 2, Flatten, Linear 3136→128, ReLU, Linear 128→10.
     *
     * @return a fresh model, initialised from the default generator
     */
    public static Module fashionCnn() {
        return new Sequential(new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(3136, 128), new ReLU(), new Linear(128, 10));
    }

    /** @return the MLP 784-256-10 with ReLU of issue 13's speed target, for {@code [n, 1, 28, 28]} images */
    public static Module mlp() {
        return new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10));
    }

    /** Reshapes flat images to {@code [n, 1, size, size]}, keeping the first {@code limit} examples (0: all). */
    static TensorDataset images(TensorDataset flat, int size, int limit) {
        Tensor x = flat.tensors().get(0);
        Tensor y = flat.tensors().get(1);
        int n = limit > 0 ? Math.min(limit, flat.size()) : flat.size();
        if (n < flat.size()) {
            x = x.narrow(0, 0, n);
            y = y.narrow(0, 0, n);
        }
        return new TensorDataset(x.reshape(n, 1, size, size).contiguous(), y.contiguous());
    }

    private static Result run(String name, TensorDataset train, TensorDataset test, Supplier<Module> network,
            int batch, double lr, boolean cosine, DemoOptions o, PrintStream out) {
        Tensor.manualSeed(o.seed());
        Module model = place(network.get(), o.device());
        DataLoader trainLoader = place(new DataLoader(train, batch, true), o.device());
        DataLoader testLoader = place(new DataLoader(test, 500, false), o.device());
        out.println("training on " + model.parameters().get(0).device() + " for " + o.epochs() + " epochs");
        Trainer trainer = new Trainer(new Adam(model.parameters(), lr), Losses::crossEntropy)
                .output(Output.AUTO, out);
        if (cosine) { // the lr falls to 0 over the run: a few epochs end better than at a constant lr
            trainer.scheduler(new CosineAnnealingLR(trainer.optimizer(), o.epochs() * trainLoader.batches(), 0), true);
        }
        History h = trainer.fit(model, trainLoader, testLoader, o.epochs());
        h.stopReason().ifPresent(r -> {
            throw new IllegalStateException(name + " demo: " + r);
        });
        double accuracy = h.last("val_accuracy"); // the test set is the validation set: evaluated after the last epoch
        double seconds = Arrays.stream(h.column("seconds")).sum();
        Result r = new Result(accuracy, seconds / h.size(), (double) train.size() * h.size() / seconds, h,
                saveAndReload(model, network, testLoader, o));
        report(r, test.size(), o.out(), out);
        return r;
    }

    /** Writes the files; reloads the model into a fresh network. @return whether its test logits are identical */
    private static boolean saveAndReload(Module model, Supplier<Module> network, DataLoader test, DemoOptions o) {
        Path dir = o.out();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("demo: cannot create " + dir + ": " + e.getMessage(), e);
        }
        Path weights = dir.resolve("model.safetensors");
        SafeTensors.save(model.stateDict(), Map.of("demo", "jgrad CnnDemo"), weights);
        Tensor.manualSeed(o.seed() + 1); // a different initialisation, so only the file can make them agree
        Module fresh = place(network.get(), o.device());
        fresh.loadStateDict(SafeTensors.load(weights));
        model.eval();
        fresh.eval();
        try (var ng = NoGrad.enter()) {
            for (var batch : test) {
                float[] a = model.forward(batch.get(0)).toFloatArray();
                float[] b = fresh.forward(batch.get(0)).toFloatArray();
                if (!Arrays.equals(a, b)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void report(Result r, int testSize, Path dir, PrintStream out) {
        r.history().writeCsv(dir.resolve("history.csv"));
        r.history().writePlots(dir, 800, 500);
        out.printf(Locale.ROOT, "test accuracy %.2f%% (%d of %d)%n", 100 * r.testAccuracy(),
                Math.round(r.testAccuracy() * testSize), testSize);
        out.printf(Locale.ROOT, "time per epoch %.2f s, %.0f examples/s%n", r.secondsPerEpoch(), r.examplesPerSecond());
        out.println("reloaded " + dir.resolve("model.safetensors") + " into a fresh model: "
                + (r.sameAfterReload() ? "identical predictions" : "PREDICTIONS DIFFER"));
        out.println("files: " + dir.resolve("loss.png") + ", " + dir.resolve("accuracy.png") + ", "
                + dir.resolve("lr.png") + ", " + dir.resolve("history.csv") + ", " + dir.resolve("model.safetensors"));
    }

    private static Module place(Module m, String device) {
        return device == null ? m : m.to(device);
    }

    private static DataLoader place(DataLoader d, String device) {
        return device == null ? d : d.to(device);
    }
}
