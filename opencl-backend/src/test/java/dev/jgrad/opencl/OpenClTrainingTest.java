package dev.jgrad.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.nn.Losses;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Training end to end on OpenCL: the same losses as on cpu, and no device-memory growth over 10,000 steps. */
class OpenClTrainingTest {
    @BeforeAll
    static void requireDevice() {
        RequireOpenCl.check();
    }

    /** A 4-16-3 MLP (tanh, cross-entropy) with plain SGD, built identically on any device. */
    private static final class Mlp {
        final List<Tensor> params = new ArrayList<>();
        final Tensor x;
        final Tensor labels;

        Mlp(String device) {
            SplittableRandom rng = new SplittableRandom(42);
            params.add(Tensor.randn(rng, 4, 16).mul(0.5).to(device).requiresGrad(true));
            params.add(Tensor.zeros(16).to(device).requiresGrad(true));
            params.add(Tensor.randn(rng, 16, 3).mul(0.5).to(device).requiresGrad(true));
            params.add(Tensor.zeros(3).to(device).requiresGrad(true));
            x = Tensor.randn(rng, 32, 4).to(device);
            long[] l = new long[32];
            for (int i = 0; i < l.length; i++) {
                l[i] = rng.nextInt(3);
            }
            labels = Tensor.of(l, 32).to(device);
        }

        double step() {
            Tensor h = x.matmul(params.get(0)).add(params.get(1)).tanh();
            Tensor loss = Losses.crossEntropy(h.matmul(params.get(2)).add(params.get(3)), labels);
            loss.backward();
            try (var g = NoGrad.enter()) {
                for (Tensor p : params) {
                    p.addInPlace(p.grad(), -0.5);
                    p.zeroGrad();
                }
            }
            return loss.item();
        }
    }

    @Test
    void lossesMatchTheCpuBackend() {
        Mlp cpu = new Mlp("cpu");
        Mlp gpu = new Mlp("opencl");
        double first = 0;
        double last = 0;
        for (int i = 0; i < 200; i++) {
            double a = cpu.step();
            double b = gpu.step();
            assertEquals(a, b, 1e-4 * (1 + Math.abs(a)), "step " + i);
            first = i == 0 ? a : first;
            last = a;
        }
        assertTrue(last < first * 0.5, "it learns: " + first + " -> " + last);
    }

    @Test
    void tenThousandStepsLeaveDeviceMemoryFlat() throws InterruptedException {
        OpenClBackend device = (OpenClBackend) dev.jgrad.Device.of("opencl:0").backend();
        Mlp mlp = new Mlp("opencl");
        for (int i = 0; i < 200; i++) {
            mlp.step();
        }
        long before = settledAllocation(device);
        for (int i = 0; i < 10_000; i++) {
            mlp.step();
        }
        long after = settledAllocation(device);
        assertTrue(after <= before + (64 << 10), "allocated bytes grew from " + before + " to " + after
                + " over 10,000 steps: " + device.memoryStats());
    }

    /** Allocated bytes once garbage tensors have been collected and their buffers returned. */
    private static long settledAllocation(OpenClBackend device) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 20; i++) {
            System.gc();
            Thread.sleep(50);
            long now = device.memoryStats().allocated();
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }
}
