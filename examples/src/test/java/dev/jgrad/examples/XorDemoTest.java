package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demo's promise: the XOR network reaches a loss below 0.01 with its fixed seed, and says so. */
class XorDemoTest {
    @Test
    void xorConvergesAndPrintsProgressAndPredictions() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        double loss = XorDemo.run(new PrintStream(buf, true, StandardCharsets.UTF_8), 5000);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(loss < 0.01, "final loss " + loss + "\n" + out);
        assertTrue(out.contains("epoch  5000"), out);
        assertTrue(out.contains("1 XOR 1 = "), out);
    }
}
