package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch, stochastic and mini-batch descent: same start, same epochs, more updates per epoch go further. */
class DescentDemoTest {
    @TempDir
    Path dir;

    @Test
    void moreUpdatesPerEpochReachALowerLossAndTheTableAndPlotAreWritten() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DescentDemo.Result r = DescentDemo.run(new PrintStream(buf, true, StandardCharsets.UTF_8), dir,
                DescentDemo.EPOCHS, 0);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(List.of("batch", "stochastic", "mini-batch"), List.copyOf(r.losses().keySet()));
        double[] batch = r.losses().get("batch"), sgd = r.losses().get("stochastic"), mini = r.losses().get("mini-batch");
        assertEquals(batch[0], sgd[0], 1e-6, "same initial weights");
        assertEquals(batch[0], mini[0], 1e-6, "same initial weights");
        for (int e = 1; e < batch.length; e++) {
            assertTrue(batch[e] < batch[e - 1], "full-batch descent with a small step decreases every epoch:\n" + out);
        }
        int last = DescentDemo.EPOCHS;
        // The noise floor is 0.01 (noise sd 0.1); one example per update jitters around it, 16 get close to it.
        assertTrue(mini[last] < 0.05 && sgd[last] < 0.05, out);
        assertTrue(batch[last] > 10 * mini[last], "20 full-batch updates are far from converged:\n" + out);
        assertTrue(out.lines().filter(l -> l.matches("\\s+\\d+ .*")).count() == last + 1, out);
        BufferedImage img = ImageIO.read(r.plot().toFile());
        assertEquals(800, img.getWidth());
        assertEquals(500, img.getHeight());
    }
}
