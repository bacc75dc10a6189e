package dev.jgrad.nn;

import static dev.jgrad.conformance.BackendConformanceTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conv2d and the pooling layers: keys, PyTorch's initialisation, forward, errors, and a PyTorch model. */
class ConvLayersTest {

    @Test
    void conv2dRegistersPyTorchKeysAndShapes() {
        Conv2d c = new Conv2d(4, 6, 3, 2, 1, 2, 2, true);
        assertEquals(List.of("weight", "bias"), List.copyOf(c.stateDict().keySet()));
        assertArrayEquals(new int[] {6, 2, 3, 3}, c.weight().shape());
        assertArrayEquals(new int[] {6}, c.bias().shape());
        assertNull(new Conv2d(4, 6, 3, 1, 0, 1, 1, false).bias());
        assertEquals(List.of("weight"), List.copyOf(new Conv2d(4, 6, 3, 1, 0, 1, 1, false).stateDict().keySet()));
        assertEquals("Conv2d(4, 6, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(2, 2), groups=2)",
                c.toString());
    }

    /** Kaiming-uniform with a = √5 is U(-1/√fanIn, 1/√fanIn); the bias is U(-1/√fanIn, 1/√fanIn) too. */
    @Test
    void conv2dInitialisesAsPyTorch() {
        Tensor.manualSeed(3);
        Conv2d c = new Conv2d(16, 64, 5);
        double bound = 1 / Math.sqrt(16 * 25);
        double[] w = c.weight().toDoubleArray();
        double sum = 0, sq = 0;
        for (double v : w) {
            assertTrue(Math.abs(v) <= bound, "weight " + v + " outside ±" + bound);
            sum += v;
            sq += v * v;
        }
        int n = w.length;
        double std = Math.sqrt(sq / n - (sum / n) * (sum / n));
        // U(-b, b) has standard deviation b/√3; over 25,600 draws the estimate is within 2%.
        assertEquals(bound / Math.sqrt(3), std, 0.02 * bound / Math.sqrt(3));
        assertEquals(0, sum / n, 4 * bound / Math.sqrt(3 * n));
        for (double v : c.bias().toDoubleArray()) {
            assertTrue(Math.abs(v) <= bound, "bias " + v + " outside ±" + bound);
        }
        Tensor.manualSeed(3);
        assertArrayEquals(w, new Conv2d(16, 64, 5).weight().toDoubleArray(), "same seed, same weights");
    }

    @Test
    void layersForwardAsFunctional() {
        Tensor x = Tensor.randn(2, 4, 9, 8);
        Conv2d c = new Conv2d(4, 6, 3, 2, 1, 2, 2, true);
        assertClose(Functional.conv2d(x, c.weight(), c.bias(), 2, 1, 2, 2).toDoubleArray(), c.forward(x).toDoubleArray(),
                0, "Conv2d");
        assertArrayEquals(new int[] {6, 4, 3}, c.forward(x.select(0, 0)).shape(), "unbatched input");
        assertClose(Functional.maxPool2d(x, 3, 2, 1).toDoubleArray(), new MaxPool2d(3, 2, 1).forward(x).toDoubleArray(),
                0, "MaxPool2d");
        assertArrayEquals(new int[] {2, 4, 4, 4}, new MaxPool2d(2).forward(x).shape(), "stride defaults to kernel");
        assertClose(Functional.avgPool2d(x, 2).toDoubleArray(), new AvgPool2d(2).forward(x).toDoubleArray(), 0,
                "AvgPool2d");
        assertArrayEquals(new int[] {2, 4, 3, 3}, new AdaptiveAvgPool2d(3).forward(x).shape());
        assertTrue(new MaxPool2d(2).parameters().isEmpty());
    }

    @Test
    void badInputNamesTheLayerAndShapes() {
        Conv2d c = new Conv2d(3, 8, 5);
        String rank = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(3, 8))).getMessage();
        assertTrue(rank.contains("Conv2d(3, 8") && rank.contains("[3, 8]"), rank);
        String channels = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(2, 4, 9, 9)))
                .getMessage();
        assertTrue(channels.contains("Conv2d") && channels.contains("[N, 3, H, W]") && channels.contains("[2, 4, 9, 9]"),
                channels);
        String small = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(1, 3, 4, 9)))
                .getMessage();
        assertTrue(small.contains("Conv2d") && small.contains("larger than the padded input 4x9"), small);
        String groups = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 8, 3, 1, 0, 1, 2, true))
                .getMessage();
        assertTrue(groups.contains("Conv2d") && groups.contains("groups=2"), groups);
        String pool = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d(3).forward(Tensor.zeros(1, 2, 2, 5))).getMessage();
        assertTrue(pool.contains("MaxPool2d") && pool.contains("[1, 2, 2, 5]"), pool);
        String pad = assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(2, 1, 2)).getMessage();
        assertTrue(pad.contains("AvgPool2d") && pad.contains("padding=2"), pad);
        String adaptive = assertThrows(IllegalArgumentException.class,
                () -> new AdaptiveAvgPool2d(2).forward(Tensor.zeros(5, 5))).getMessage();
        assertTrue(adaptive.contains("AdaptiveAvgPool2d") && adaptive.contains("[5, 5]"), adaptive);
        String functional = assertThrows(IllegalArgumentException.class,
                () -> Functional.conv2d(Tensor.zeros(1, 3, 2, 2), Tensor.zeros(4, 3, 3, 3), null, 1, 0, 1, 1))
                .getMessage();
        assertTrue(functional.contains("conv2d") && functional.contains("[1, 3, 2, 2]"), functional);
    }

    /** Every conv/pool layer in one model with PyTorch's weights gives PyTorch's output and gradients. */
    @Test
    void pyTorchModelAgrees() throws IOException {
        ConvPoolTorchAgreementTest.Case c = ConvPoolTorchAgreementTest.load().stream()
                .filter(k -> k.op().equals("module")).findFirst().orElseThrow();
        for (String device : List.of("reference", "cpu")) {
            Sequential m = new Sequential(new Conv2d(2, 4, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                    new Conv2d(4, 6, 3, 2, 1, 1, 2, true), new Tanh(), new AvgPool2d(3, 2, 1), new AdaptiveAvgPool2d(2),
                    new Flatten(), new Linear(24, 3));
            m.to(DType.F64).to(device);
            Map<String, Tensor> state = new LinkedHashMap<>();
            c.tensors().forEach((k, v) -> {
                if (k.startsWith("param:")) {
                    state.put(k.substring(6), v);
                }
            });
            assertEquals(List.copyOf(state.keySet()), List.copyOf(m.stateDict().keySet()), "state-dict keys");
            m.loadStateDict(state);
            Tensor x = c.tensors().get("x").to(device).detach().copy().requiresGrad(true);
            Tensor y = m.forward(x);
            assertClose(c.tensors().get("out").toDoubleArray(), y.toDoubleArray(), 1e-10, device + ": output");
            y.backward(c.tensors().get("grad_out").to(device));
            assertClose(c.tensors().get("grad_x").toDoubleArray(), x.grad().toDoubleArray(), 1e-10, device + ": grad x");
            m.namedParameters().forEach((k, p) -> assertClose(c.tensors().get("grad:" + k).toDoubleArray(),
                    p.grad().toDoubleArray(), 1e-10, device + ": grad " + k));
        }
    }
}
