package dev.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import dev.jgrad.data.DataLoader;
import dev.jgrad.data.TensorDataset;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Losses;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.SGD;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-layer gradient norms recorded during fit and drawn as a log-scale PNG. */
class GradientMonitorCallbackTest {
    @TempDir
    Path dir;

    private static BufferedImage readPng(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
                java.util.Arrays.copyOf(bytes, 8), "PNG signature");
        BufferedImage img = ImageIO.read(file.toFile());
        assertTrue(img != null, "ImageIO decodes " + file);
        return img;
    }

    private static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }

    @Test
    void recordsEveryKthStepOfFitAndWritesThePlotAfterEachEpoch() throws Exception {
        Tensor.manualSeed(2);
        Module model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 8), new ReLU(), new Linear(8, 3));
        SplittableRandom rng = new SplittableRandom(4);
        float[] x = new float[96 * 4];
        long[] y = new long[96];
        for (int i = 0; i < 96; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x[4 * i + j] = (float) (rng.nextDouble() - 0.5 + (j == y[i] ? 1 : 0));
            }
        }
        Path png = dir.resolve("plots/grad-norms.png");
        GradientMonitorCallback cb = new GradientMonitorCallback(model, 3).plotEveryEpoch(png, 640, 360).trackDeadUnits();
        new Trainer(new SGD(model.parameters(), 0.1), Losses::crossEntropy).metrics()
                .output(Output.PLAIN, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .callback(cb).fit(model, new DataLoader(new TensorDataset(Tensor.of(x, 96, 4), Tensor.of(y, 96)), 16,
                        true), null, 2);
        // 2 epochs of 6 batches: steps 3, 6, 9, 12.
        assertEquals(List.of(3, 6, 9, 12), cb.monitor().steps());
        assertEquals(List.of("0", "2", "4"), List.copyOf(cb.monitor().layerNorms().keySet()));
        for (double[] norms : cb.monitor().layerNorms().values()) {
            assertEquals(4, norms.length);
            for (double n : norms) {
                assertTrue(n > 0 && Double.isFinite(n), "a positive finite norm: " + n);
            }
        }
        assertEquals(List.of("1", "3"), List.copyOf(cb.monitor().deadUnitFractions().keySet()));
        for (double[] f : cb.monitor().deadUnitFractions().values()) {
            assertEquals(4, f.length);
            for (double v : f) {
                assertTrue(v >= 0 && v <= 1, "a fraction: " + v);
            }
        }
        cb.stopTrackingDeadUnits();
        BufferedImage img = readPng(png);
        assertEquals(640, img.getWidth());
        assertEquals(360, img.getHeight());
        assertTrue(colours(img) > 5, "three coloured series drawn, not a blank image");
        Path again = cb.writePlot(dir.resolve("again.png"), 300, 200);
        BufferedImage small = readPng(again);
        assertEquals(300, small.getWidth());
        assertEquals(200, small.getHeight());
    }

    @Test
    void misuseIsReported() {
        Module model = new Sequential(new Linear(2, 2));
        assertThrows(IllegalArgumentException.class, () -> new GradientMonitorCallback(model, 0));
        assertThrows(IllegalArgumentException.class, () -> new GradientMonitorCallback(null, 1));
        GradientMonitorCallback cb = new GradientMonitorCallback(model, 1);
        var e = assertThrows(IllegalStateException.class, () -> cb.writePlot(dir.resolve("x.png"), 200, 200));
        assertTrue(e.getMessage().contains("no step recorded"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cb.plotEveryEpoch(dir.resolve("x.png"), 50, 200));
        assertThrows(IllegalStateException.class, () -> cb.afterBackward(new Sequential(new Linear(2, 2)), 1, 1, 0));
    }

    @Test
    void linePlotDropsPointsALogAxisCannotShowAndRefusesAnEmptyChart() throws Exception {
        double[] x = {1, 2, 3};
        LinePlot empty = new LinePlot("t", "x", "y").logY(true).series("zeros", x, new double[] {0, -1, Double.NaN});
        var e = assertThrows(IllegalArgumentException.class, () -> empty.write(dir.resolve("e.png"), 200, 200));
        assertTrue(e.getMessage().contains("no drawable point"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> empty.series("zeros", x, x));
        assertThrows(IllegalArgumentException.class, () -> empty.series("short", x, new double[] {1}));
        empty.series("ok", x, new double[] {1e-8, 0, 10});
        BufferedImage img = readPng(empty.write(dir.resolve("log.png"), 400, 300));
        assertEquals(400, img.getWidth());
    }
}
