package dev.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.Anomaly;
import dev.jgrad.data.DataLoader;
import dev.jgrad.data.TensorDataset;
import dev.jgrad.io.Checkpoint;
import dev.jgrad.nn.Dropout;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Losses;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.lr.StepLR;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fit loop on three Gaussian blobs in the plane: a task an MLP learns in a few epochs. */
class TrainerTest {
    private static final int N = 240;
    private static final int BATCH = 32;

    @TempDir
    Path dir;

    /** Three classes centred at (0, 2), (-2, -1), (2, -1), unit spread; {@code nanRow >= 0} poisons one input. */
    private static TensorDataset blobs(long seed, int nanRow) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[2 * N];
        long[] y = new long[N];
        double[][] centres = {{0, 2}, {-2, -1}, {2, -1}};
        for (int i = 0; i < N; i++) {
            int c = i % 3;
            y[i] = c;
            x[2 * i] = (float) (centres[c][0] + 0.7 * gaussian(rng));
            x[2 * i + 1] = (float) (centres[c][1] + 0.7 * gaussian(rng));
        }
        if (nanRow >= 0) {
            x[2 * nanRow] = Float.NaN;
        }
        return new TensorDataset(Tensor.of(x, N, 2), Tensor.of(y, N));
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    private static Module mlp() {
        return new Sequential(new Linear(2, 16), new ReLU(), new Dropout(0.1), new Linear(16, 3));
    }

    private static Trainer trainer(Module model, ByteArrayOutputStream sink) {
        return new Trainer(new Adam(model.parameters(), 0.02), Losses::crossEntropy)
                .output(Output.PLAIN, new PrintStream(sink, true, StandardCharsets.UTF_8));
    }

    @Test
    void learnsWritesOneRowPerEpochAndPlots() throws Exception {
        Tensor.manualSeed(1);
        Module model = mlp();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        History h = trainer(model, sink).fit(model, new DataLoader(blobs(1, -1), BATCH, true),
                new DataLoader(blobs(2, -1), 64, false), 6);
        assertEquals(6, h.size());
        assertTrue(h.stopReason().isEmpty(), h.stopReason().toString());
        double[] loss = h.column("train_loss");
        assertTrue(loss[5] < 0.6 * loss[0], "train loss should fall: " + java.util.Arrays.toString(loss));
        assertTrue(h.last("val_accuracy") > 0.85, h.toCsv());
        assertEquals(List.of("epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds"),
                h.columns());

        Path csv = dir.resolve("out/history.csv");
        h.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(7, lines.size());
        assertTrue(lines.get(6).startsWith("6,"), lines.get(6));
        assertEquals(h.toCsv(), History.fromCsv(Files.readString(csv)).toCsv());

        List<Path> pngs = h.writePlots(dir.resolve("out"), 640, 400);
        assertEquals(List.of("loss.png", "accuracy.png", "lr.png"),
                pngs.stream().map(p -> p.getFileName().toString()).toList());
        for (Path p : pngs) {
            byte[] bytes = Files.readAllBytes(p);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(bytes, 4), p.toString());
            BufferedImage img = ImageIO.read(p.toFile());
            assertNotNull(img, p + " is not a readable image");
            assertEquals(640, img.getWidth());
            assertEquals(400, img.getHeight());
        }
    }

    @Test
    void earlyStoppingStopsWhenTheMonitorDoesNotImprove() {
        Tensor.manualSeed(2);
        Module model = mlp();
        // Falling train loss counted as "higher is better" never improves after epoch 1.
        History h = trainer(model, new ByteArrayOutputStream())
                .callback(new EarlyStopping(new Monitor("train_loss", true), 2, 0))
                .fit(model, new DataLoader(blobs(1, -1), BATCH, true), null, 20);
        assertEquals(3, h.size(), h.toCsv());
        assertTrue(h.stopReason().orElseThrow().startsWith("early stopping after epoch 3: train_loss"),
                h.stopReason().get());
    }

    @Test
    void resumeContinuesBitIdentically() {
        TensorDataset data = blobs(3, -1);
        Tensor.manualSeed(3);
        Module straight = mlp();
        Trainer a = trainer(straight, new ByteArrayOutputStream());
        a.scheduler(new StepLR(a.optimizer(), 1, 0.7), false);
        History full = a.fit(straight, new DataLoader(data, BATCH, true), new DataLoader(data, 64, false), 4);

        Tensor.manualSeed(3);
        Module first = mlp();
        Trainer b = trainer(first, new ByteArrayOutputStream());
        b.scheduler(new StepLR(b.optimizer(), 1, 0.7), false);
        ModelCheckpoint ckpt = new ModelCheckpoint(dir.resolve("ckpt"), Monitor.of("val_loss"));
        b.callback(ckpt).fit(first, new DataLoader(data, BATCH, true), new DataLoader(data, 64, false), 2);
        assertTrue(Files.isRegularFile(ckpt.best()) && Files.isRegularFile(ckpt.last()));

        Tensor.manualSeed(99); // a different initialisation and generator state: all of it must be restored
        Module resumed = mlp();
        Trainer c = trainer(resumed, new ByteArrayOutputStream());
        c.scheduler(new StepLR(c.optimizer(), 1, 0.7), false);
        History rest = c.resumeFrom(ckpt.last()).fit(resumed, new DataLoader(data, BATCH, true),
                new DataLoader(data, 64, false), 4);

        for (String k : straight.stateDict().keySet()) {
            assertArrayEquals(straight.stateDict().get(k).toFloatArray(), resumed.stateDict().get(k).toFloatArray(), k);
        }
        assertEquals(4, rest.size());
        for (String col : List.of("train_loss", "train_accuracy", "val_loss", "lr")) {
            assertArrayEquals(full.column(col), rest.column(col), col);
        }
        assertEquals(a.optimizer().lr(), c.optimizer().lr());
    }

    @Test
    void theTrainingStateIsAnIoCheckpointWithTheTrainersProgress() {
        Tensor.manualSeed(5);
        Module model = mlp();
        Trainer t = trainer(model, new ByteArrayOutputStream());
        t.scheduler(new StepLR(t.optimizer(), 1, 0.5), false);
        ModelCheckpoint ckpt = new ModelCheckpoint(dir.resolve("io"), Monitor.of("train_loss"));
        History h = t.callback(ckpt).fit(model, new DataLoader(blobs(5, -1), BATCH, true), null, 2);

        Module fresh = mlp();
        Adam opt = new Adam(fresh.parameters(), 0.02);
        StepLR sched = new StepLR(opt, 1, 0.5);
        Map<String, String> meta = Checkpoint.load(ckpt.last(), fresh, opt, sched);
        assertEquals("2", meta.get("train.epoch"));
        assertEquals(Long.toString(2L * ((N + BATCH - 1) / BATCH)), meta.get("train.step"));
        assertEquals(h.toCsv(), meta.get("train.history"));
        assertEquals(t.optimizer().lr(), opt.lr());
        assertEquals(0.02 * 0.25, opt.lr(), 1e-15);
        for (String k : model.stateDict().keySet()) {
            assertArrayEquals(model.stateDict().get(k).toFloatArray(), fresh.stateDict().get(k).toFloatArray(), k);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(fresh, new ByteArrayOutputStream()).resumeFrom(ckpt.best()).fit(fresh,
                        new DataLoader(blobs(5, -1), BATCH, true), null, 3));
        assertTrue(e.getMessage().contains("not a training state"), e.getMessage());
    }

    @Test
    void aResumedRunStopsEarlyWhereTheUninterruptedOneDoes() {
        Tensor.manualSeed(6);
        Module model = mlp();
        ModelCheckpoint ckpt = new ModelCheckpoint(dir.resolve("es"), null);
        trainer(model, new ByteArrayOutputStream()).callback(ckpt)
                .fit(model, new DataLoader(blobs(6, -1), BATCH, true), null, 2);
        Module resumed = mlp();
        // Falling train loss counted as "higher is better": epochs 2 and 3 do not improve on epoch 1.
        History h = trainer(resumed, new ByteArrayOutputStream()).resumeFrom(ckpt.last())
                .callback(new EarlyStopping(new Monitor("train_loss", true), 2, 0))
                .fit(resumed, new DataLoader(blobs(6, -1), BATCH, true), null, 20);
        assertEquals(3, h.size(), h.toCsv());
        assertTrue(h.stopReason().orElseThrow().startsWith("early stopping after epoch 3"), h.stopReason().get());
    }

    @Test
    void nonFiniteLossStopsNamingEpochAndStep() {
        Tensor.manualSeed(4);
        Module model = mlp();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        History h = trainer(model, sink).fit(model, new DataLoader(blobs(1, 100), BATCH, false), null, 5);
        assertEquals(0, h.size());
        String reason = h.stopReason().orElseThrow();
        assertTrue(reason.contains("the loss is NaN at epoch 1, step 4"), reason);
        assertTrue(sink.toString(StandardCharsets.UTF_8).contains(reason));
    }

    @Test
    void underAnomalyModeTheStopNamesTheOp() {
        Tensor.manualSeed(4);
        Module model = mlp();
        History h;
        try (var anomaly = Anomaly.detect()) {
            h = trainer(model, new ByteArrayOutputStream()).fit(model, new DataLoader(blobs(1, 100), BATCH, false),
                    null, 5);
        }
        String reason = h.stopReason().orElseThrow();
        assertTrue(reason.startsWith("stopped: non-finite values at epoch 1, step 4, in op "), reason);
        assertTrue(reason.contains("(forward)"), reason);
    }

    @Test
    void afterBackwardSeesEveryBatchsGradients() {
        Tensor.manualSeed(5);
        Module model = mlp();
        AtomicInteger calls = new AtomicInteger();
        trainer(model, new ByteArrayOutputStream()).metrics().callback(new Callback() {
            @Override
            public void afterBackward(Module m, int epoch, int step, double loss) {
                assertTrue(m.parameters().stream().allMatch(p -> p.grad() != null), "grads at " + epoch + "/" + step);
                calls.incrementAndGet();
            }
        }).clipGradNorm(1.0).fit(model, new DataLoader(blobs(1, -1), BATCH, true), null, 2);
        assertEquals(2 * ((N + BATCH - 1) / BATCH), calls.get());
    }

    @Test
    void nonTerminalOutputIsOnePlainLinePerEpoch() {
        // Under surefire standard output is a pipe, so AUTO must resolve to plain lines.
        assertEquals(Output.PLAIN, Output.AUTO.resolve());
        Tensor.manualSeed(6);
        Module model = mlp();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        new Trainer(new Adam(model.parameters(), 0.02), Losses::crossEntropy)
                .output(Output.AUTO, new PrintStream(sink, true, StandardCharsets.UTF_8))
                .fit(model, new DataLoader(blobs(1, -1), BATCH, true), new DataLoader(blobs(2, -1), 64, false), 3);
        String text = sink.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), "carriage return in: " + text);
        assertFalse(text.contains("\u001b"), "escape code in: " + text);
        String[] lines = text.strip().split("\n");
        assertEquals(3, lines.length, text);
        for (int i = 0; i < 3; i++) {
            assertTrue(lines[i].matches("epoch " + (i + 1) + "/3  train_loss \\d\\.\\d{4}  train_accuracy .*"
                    + "val_accuracy .*examples/s"), lines[i]);
        }
    }

    @Test
    void barModeRedrawsInPlace() {
        Tensor.manualSeed(7);
        Module model = mlp();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        new Trainer(new Adam(model.parameters(), 0.02), Losses::crossEntropy)
                .output(Output.BAR, new PrintStream(sink, true, StandardCharsets.UTF_8))
                .fit(model, new DataLoader(blobs(1, -1), BATCH, true), null, 1);
        String text = sink.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("\r") && text.contains("epoch 1/1"), text);
    }

    /**
     * On the {@code reference} backend, whose scalar Java arithmetic rounds the same whether or not the
     * JIT compiled it (the {@code cpu} kernels' vector reductions may sum in another order before C2
     * compiles them, so two runs in one JVM can differ in the last bit).
     */
    @Test
    void stepsInTheirOwnScopesTrainTheSameWeightsAndRecycleMemory() {
        float[][] weights = new float[2][];
        for (int scoped = 0; scoped < 2; scoped++) {
            Tensor.manualSeed(7);
            Module model = new Sequential(new Linear(2, 256), new ReLU(), new Dropout(0.1), new Linear(256, 3))
                    .to("reference");
            TensorDataset data = blobs(3, -1);
            DataLoader loader = new DataLoader(new TensorDataset(data.tensors().get(0).to("reference"),
                    data.tensors().get(1).to("reference")),
                    BATCH, true);
            trainer(model, new ByteArrayOutputStream()).scopePerStep(scoped == 1).fit(model, loader, loader, 2);
            weights[scoped] = model.parameters().get(0).toFloatArray();
        }
        assertArrayEquals(weights[0], weights[1], "bit for bit");
        assertTrue(dev.jgrad.backend.HeapMemory.pooledBytes() > 0, "the steps' 32 KB activations were pooled");
    }

    @Test
    void aTensorACallbackKeepsFromAStepIsReleasedUnlessScopesAreOff() {
        for (boolean scoped : new boolean[] {true, false}) {
            Tensor.manualSeed(1);
            Module model = mlp();
            Tensor[] kept = new Tensor[1];
            Callback keeper = new Callback() {
                @Override
                public void afterBackward(Module m, int epoch, int step, double loss) {
                    kept[0] = m.parameters().get(0).grad().mul(2);
                }
            };
            trainer(model, new ByteArrayOutputStream()).callback(keeper).scopePerStep(scoped)
                    .fit(model, new DataLoader(blobs(1, -1), BATCH, false), null, 1);
            if (scoped) {
                IllegalStateException e = assertThrows(IllegalStateException.class, kept[0]::toFloatArray);
                assertTrue(e.getMessage().contains("Trainer.scopePerStep(false)"), e.getMessage());
            } else {
                assertEquals(32, kept[0].toFloatArray().length);
            }
        }
    }
}
