package dev.jgrad.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Device;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.nn.Losses;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Device memory is given back: emptyCache frees slabs, and a long training loop's footprint stays bounded. */
class OpenClMemoryTest {
    private static final long MIB = 1 << 20;
    private static OpenClBackend device;

    @BeforeAll
    static void requireDevice() {
        RequireOpenCl.check();
        device = (OpenClBackend) Device.of("opencl:0").backend();
    }

    @Test
    void emptyCacheFreesTheSlabsOfSmallBuffersOnceTheyAreUnused() {
        List<ClBuffer> small = new ArrayList<>();
        for (int i = 0; i < 64; i++) {   // 64 KiB class: 16 per 1 MiB slab, 4 slabs
            small.add((ClBuffer) device.allocate(DType.F32, 16_000));
        }
        MemoryStats during = device.memoryStats();
        small.forEach(ClBuffer::close);
        assertTrue(device.memoryStats().cached() >= 64 * 65536, "closed buffers are cached first");
        device.emptyCache();
        MemoryStats after = device.memoryStats();
        // The first slab may be shared with earlier buffers of the class; the other three are ours alone.
        assertTrue(after.reserved() <= during.reserved() - 3 * MIB, "slabs were released: " + during + " -> " + after);
    }

    @Test
    void tenThousandTrainingStepsStayWithinTheBoundWithoutAForcedCollection() {
        long limit = device.cacheLimit();
        device.setCacheLimit(8 * MIB);
        try {
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
            // live set ~0.03 MiB; the bound: cache limit + two collection budgets + one slab per small class
            long bound = 8 * MIB + 2 * MemoryPool.MIN_BUDGET + 12 * MIB;
            assertTrue(worst <= bound, "device memory held reached " + worst / MIB + " MiB, bound " + bound / MIB
                    + " MiB: " + device.memoryStats());
        } finally {
            device.setCacheLimit(limit);
        }
    }
}
