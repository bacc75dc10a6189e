package dev.jgrad.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Device;
import dev.jgrad.MemoryScope;
import dev.jgrad.Tensor;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On opencl, released memory goes back to the pool at once, read as a user reads it
 * ({@code memoryStats()}, no forced collection): what a MemoryScope did not keep, and the
 * gradients and rule temporaries a backward no longer needs.
 */
class OpenClMemoryScopeTest {
    private static final String CL = "opencl:0";
    private static final int N = 1 << 20;                 // 4 MiB of F32: a large size class of its own
    private static final long BYTES = 4L * N;
    private static OpenClBackend device;

    @BeforeAll
    static void requireDevice() {
        RequireOpenCl.check();
        device = (OpenClBackend) Device.of(CL).backend();
    }

    private static Tensor big(long seed) {
        return Tensor.rand(new Random(seed), N).to(CL);
    }

    @Test
    void closingAScopeReturnsItsBuffersToThePool() {
        Tensor x = big(1);
        Tensor kept, dropped;
        long during;
        long start = device.memoryStats().allocated();
        try (var scope = MemoryScope.open()) {
            Tensor a = x.mul(2), b = a.add(1), c = b.tanh();
            dropped = a;
            kept = scope.keep(c.sub(x));
            during = device.memoryStats().allocated();
            assertTrue(during >= start + 4 * BYTES, "four new 4 MiB buffers: " + start + " -> " + during);
        }
        MemoryStats after = device.memoryStats();
        assertEquals(during - 3 * BYTES, after.allocated(), "a, b and c went back to the pool; the kept one stayed");
        assertTrue(after.cached() >= 3 * BYTES, "and are cached for reuse: " + after);
        assertThrows(IllegalStateException.class, dropped::toDoubleArray);
        double[] expected = x.mul(2).add(1).tanh().sub(x).toDoubleArray();
        assertArrayEquals(expected, kept.toDoubleArray());
    }

    /**
     * A chain of 16 tanh over 4 MiB: the forward saves 16 outputs. Each backward step makes four
     * 4 MiB tensors (three temporaries and the gradient), so without early release the backward
     * would hold 64 more buffers until a collection; with it, a handful are in use at any time.
     */
    @Test
    void aBackwardGivesItsGradientsAndTemporariesBackAsItGoes() {
        Tensor w = big(2).requiresGrad(true);
        Tensor h = w;
        for (int i = 0; i < 16; i++) {
            h = h.tanh();
        }
        Tensor loss = h.sum();
        device.resetPeakMemoryStats();
        long start = device.memoryStats().allocated();
        loss.backward();
        MemoryStats after = device.memoryStats();
        long growth = after.peak() - start;
        System.out.println("backward of 16 tanh over 4 MiB: peak growth " + growth / BYTES + " buffers of 4 MiB, "
                + after);
        assertTrue(growth <= 8 * BYTES, "peak grew by " + growth / (1 << 20) + " MiB for a 4 MiB gradient chain");
        // the gradient is right: d/dw of sum(tanh^16(w)) by the host chain rule
        double[] wv = w.toDoubleArray(), g = w.grad().toDoubleArray();
        for (int i = 0; i < wv.length; i += 4099) {
            double v = (float) wv[i], d = 1;
            for (int k = 0; k < 16; k++) {
                v = Math.tanh(v);
                d *= 1 - v * v;
            }
            assertEquals(d, g[i], 1e-4, "grad at " + i);
        }
    }

    @Test
    void aBackwardInsideAScopeLeavesTheLeafGradientUsable() {
        Tensor w = big(3).requiresGrad(true);
        long start;
        try (var scope = MemoryScope.open()) {
            w.tanh().mul(w).sum().backward();
            start = device.memoryStats().allocated();
        }
        assertTrue(device.memoryStats().allocated() < start, "the forward's tensors went back at close");
        double[] g = w.grad().toDoubleArray();
        double v = w.toDoubleArray()[5], t = Math.tanh(v);
        assertEquals(t + v * (1 - t * t), g[5], 1e-5);
    }
}
