package dev.jgrad.opencl;

import dev.jgrad.Device;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.nn.Losses;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Run in a fresh JVM with a large young generation by {@link OpenClMemoryTest}, as a user's training
 * process runs (the JVM may not collect for thousands of steps): trains a 4-16-3 MLP for 10,000 steps
 * on opencl with a cache limit of 8 MiB and prints the most device memory held, read with
 * {@code memoryStats()} every 100 steps (no forced collection).
 */
public final class MemoryFootprintProbe {
    private MemoryFootprintProbe() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        OpenClBackend device = (OpenClBackend) Device.of("opencl:0").backend();
        device.setCacheLimit(8 << 20);
        SplittableRandom rng = new SplittableRandom(3);
        List<Tensor> params = new ArrayList<>(List.of(
                Tensor.randn(rng, 4, 16).mul(0.5).to("opencl").requiresGrad(true),
                Tensor.zeros(16).to("opencl").requiresGrad(true),
                Tensor.randn(rng, 16, 3).mul(0.5).to("opencl").requiresGrad(true),
                Tensor.zeros(3).to("opencl").requiresGrad(true)));
        Tensor x = Tensor.randn(rng, 32, 4).to("opencl");
        Tensor labels = x.narrow(1, 0, 3).argmax(1);
        long worst = 0;
        for (int step = 0; step < 10_000; step++) {
            Tensor h = x.matmul(params.get(0)).add(params.get(1)).tanh();
            Tensor loss = Losses.crossEntropy(h.matmul(params.get(2)).add(params.get(3)), labels);
            loss.backward();
            try (var g = NoGrad.enter()) {
                for (Tensor p : params) {
                    p.addInPlace(p.grad(), -0.1);
                    p.zeroGrad();
                }
            }
            if (step % 100 == 0) {
                loss.item();
                worst = Math.max(worst, device.memoryStats().reserved());
            }
        }
        System.out.println("worst=" + worst + " stats=" + device.memoryStats());
    }
}
