package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four optimizers from one initialisation: all learn, the adaptive and momentum ones beat plain SGD. */
class OptimizersDemoTest {
    @TempDir
    Path dir;

    @Test
    void everyOptimizerLearnsAndMomentumAndAdaptiveOnesBeatPlainSgd() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        OptimizersDemo.Result r = OptimizersDemo.run(new PrintStream(buf, true, StandardCharsets.UTF_8), dir,
                OptimizersDemo.EPOCHS, 0);
        String out = buf.toString(StandardCharsets.UTF_8);
        Map<String, double[]> l = r.losses();
        assertEquals(List.of("SGD", "SGD+momentum", "RMSprop", "Adam"), List.copyOf(l.keySet()));
        int last = OptimizersDemo.EPOCHS;
        for (double[] curve : l.values()) {
            // Same weights; interpreted and compiled code may differ in the last bit of the loss.
            assertEquals(l.get("SGD")[0], curve[0], 1e-6, "same start:\n" + out);
            assertTrue(curve[last] < 0.8 * curve[0], "every optimizer learns:\n" + out);
        }
        for (String better : List.of("SGD+momentum", "RMSprop", "Adam")) {
            assertTrue(l.get(better)[last] < l.get("SGD")[last], better + " ends below plain SGD:\n" + out);
            assertTrue(r.accuracy().get(better) > 0.8, better + " separates the spiral:\n" + out);
        }
        BufferedImage img = ImageIO.read(r.plot().toFile());
        assertEquals(800, img.getWidth());
        assertEquals(500, img.getHeight());
    }
}
