package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.nn.GradientReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's promise: the sigmoid stack's first layers vanish, the remedied network's do not. */
class VanishingDemoTest {
    @Test
    void sigmoidLayersVanishAndRemediedOnesDoNot() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<GradientReport> r = VanishingDemo.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        List<String> vanishing = r.get(0).layersWith(GradientReport.Status.VANISHING);
        assertTrue(vanishing.contains("0") && vanishing.contains("2"), out);
        assertEquals(GradientReport.Status.OK, r.get(0).layers().get(VanishingDemo.DEPTH - 1).status(), out);
        assertTrue(r.get(1).layersWith(GradientReport.Status.VANISHING).isEmpty(), out);
        assertTrue(r.get(1).layersWith(GradientReport.Status.EXPLODING).isEmpty(), out);
        assertTrue(out.contains("vanishing layers: sigmoid "), out);
    }
}
