package dev.jgrad.examples;

import dev.jgrad.Tensor;
import dev.jgrad.data.DataLoader;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.TensorDataset;
import dev.jgrad.nn.Losses;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.lr.CosineAnnealingLR;
import dev.jgrad.train.History;
import dev.jgrad.train.Output;
import dev.jgrad.train.Trainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * jgrad's half of {@code benchmarks/compare/train_compare.py}: trains {@code ./jgrad demo
 * fashion-mnist}'s model and recipe (same network, Adam lr 1e-3 with a per-step cosine decay to 0
 * over the run, batch 64, shuffled, cross-entropy, the {@link Trainer}) one epoch per command read from standard input, so that the script can alternate
 * jgrad and PyTorch epochs in the same window. Commands: {@code epoch} (answers
 * {@code epoch SECONDS TRAIN_LOSS}), {@code test} (answers {@code test ACCURACY}), {@code quit}.
 * Progress goes to standard error.
 */
public final class TrainCompare {
    private TrainCompare() {
    }

    /**
     * @param args {@code mlp} or {@code cnn}, the epochs the cosine decay spans, and optionally the
     *             number of training images (0: all 60,000)
     * @throws IOException when standard input cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || !(args[0].equals("mlp") || args[0].equals("cnn"))) {
            throw new IllegalArgumentException("TrainCompare: usage: TrainCompare mlp|cnn EPOCHS [LIMIT]");
        }
        int epochs = Integer.parseInt(args[1]);
        int limit = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Datasets.Split split = Datasets.fashionMnist();
        TensorDataset train = CnnDemo.images(split.train(), 28, limit);
        TensorDataset test = CnnDemo.images(split.test(), 28, 0);
        Tensor.manualSeed(0);
        Module model = args[0].equals("mlp") ? CnnDemo.mlp() : CnnDemo.fashionCnn();
        DataLoader trainLoader = new DataLoader(train, 64, true);
        DataLoader testLoader = new DataLoader(test, 500, false);
        Trainer trainer = new Trainer(new Adam(model.parameters(), 1e-3), Losses::crossEntropy)
                .output(Output.PLAIN, new PrintStream(System.err, true, StandardCharsets.UTF_8));
        trainer.scheduler(new CosineAnnealingLR(trainer.optimizer(), epochs * trainLoader.batches(), 0), true);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("ready " + train.size());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String cmd = in.readLine(); cmd != null && !cmd.equals("quit"); cmd = in.readLine()) {
            switch (cmd.trim()) {
                case "epoch" -> {
                    // fit with one epoch keeps the optimizer's state across calls: the Trainer owns it.
                    History h = trainer.fit(model, trainLoader, null, 1);
                    out.printf(Locale.ROOT, "epoch %.4f %.6f%n", h.last("seconds"), h.last("train_loss"));
                }
                case "test" -> out.printf(Locale.ROOT, "test %.6f%n", trainer.evaluate(model, testLoader)
                        .get("accuracy"));
                default -> out.println("error unknown command '" + cmd + "' (epoch, test, quit)");
            }
        }
    }
}
