package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.nn.GradientReport;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's promise: the sigmoid stack's first layers vanish, the remedied network's do not, and
 * clipping bounds the exploding one.
 */
class VanishingDemoTest {
    @TempDir
    Path dir;

    @Test
    void sigmoidLayersVanishRemediedOnesDoNotAndClippingBoundsTheExplodingOnes() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<GradientReport> r = VanishingDemo.run(new PrintStream(buf, true, StandardCharsets.UTF_8), dir);
        String out = buf.toString(StandardCharsets.UTF_8);
        List<String> vanishing = r.get(0).layersWith(GradientReport.Status.VANISHING);
        assertTrue(vanishing.contains("0") && vanishing.contains("2"), out);
        assertEquals(GradientReport.Status.OK, r.get(0).layers().get(VanishingDemo.DEPTH - 1).status(), out);
        assertTrue(r.get(1).layersWith(GradientReport.Status.VANISHING).isEmpty(), out);
        assertTrue(r.get(1).layersWith(GradientReport.Status.EXPLODING).isEmpty(), out);
        assertEquals(VanishingDemo.DEPTH, r.get(1).deadUnits().size(), "one dead-unit row per ReLU");
        assertTrue(out.contains("vanishing layers: sigmoid "), out);
        assertTrue(out.contains("dead ReLU units"), out);
        assertFalse(r.get(2).layersWith(GradientReport.Status.EXPLODING).isEmpty(), out);
        assertTrue(r.get(3).layersWith(GradientReport.Status.EXPLODING).isEmpty(), out);
        double clippedTotal = Math.sqrt(r.get(3).layers().stream().mapToDouble(l -> l.norm() * l.norm()).sum());
        assertEquals(1.0, clippedTotal, 1e-3, "clipNorm(1.0) leaves a total norm of 1");
        BufferedImage img = ImageIO.read(dir.resolve("vanishing.png").toFile());
        assertEquals(800, img.getWidth());
        assertEquals(500, img.getHeight());
    }
}
