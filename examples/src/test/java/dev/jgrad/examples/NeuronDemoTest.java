package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The neuron demo's update equals the closed form of one gradient step on ½(t - σ(w·x + b))². */
class NeuronDemoTest {
    @Test
    void oneStepMatchesTheClosedForm() {
        double z = 0.5 * 1 + -0.5 * 2 + 0.1;
        double y = 1 / (1 + Math.exp(-z));
        double delta = (y - 1) * y * (1 - y);
        double[] w = {0.5 - 0.1 * delta * 1, -0.5 - 0.1 * delta * 2};
        double b = 0.1 - 0.1 * delta;

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        NeuronDemo.Result r = NeuronDemo.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(y, r.output(), 1e-15);
        assertEquals(0.5 * (1 - y) * (1 - y), r.loss(), 1e-15);
        assertEquals(w[0], r.weights()[0], 1e-15);
        assertEquals(w[1], r.weights()[1], 1e-15);
        assertEquals(b, r.bias(), 1e-15);
        // The numbers a reader checks by hand: y = σ(-0.4) = 0.401312, w = [0.514384, -0.471232], b = 0.114384.
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("y = sigmoid(z) = 0.401312"), out);
        assertTrue(out.contains("update:   w = [0.514384, -0.471232], b = 0.114384"), out);
    }
}
