package dev.jgrad.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import dev.jgrad.nn.BatchNorm2d;
import dev.jgrad.nn.Dropout;
import dev.jgrad.nn.Embedding;
import dev.jgrad.nn.GRU;
import dev.jgrad.nn.LSTM;
import dev.jgrad.nn.LayerNorm;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Modules moved to OpenCL with {@code to("opencl")} give the cpu's outputs, gradients and running statistics. */
class OpenClLayersTest {
    @BeforeAll
    static void requireDevice() {
        RequireOpenCl.check();
    }

    private static void same(Supplier<Module> make, Tensor input) {
        Module cpu = make.get();
        Module cl = make.get();
        cl.loadStateDict(cpu.stateDict());
        cl.to("opencl");
        assertTrue(cl.parameters().get(0).device().name().startsWith("opencl"));
        Tensor xc = input.dtype().isFloatingPoint() ? input.detach().requiresGrad(true) : input;
        Tensor xg = input.dtype().isFloatingPoint() ? input.to("opencl").requiresGrad(true) : input.to("opencl");
        for (int step = 0; step < 2; step++) {
            Tensor yc = cpu.forward(xc), yg = cl.forward(xg);
            assertTrue(yg.device().name().startsWith("opencl"));
            assertArrayEquals(yc.toFloatArray(), yg.toFloatArray(), 2e-4f);
            yc.mul(yc).sum().backward();
            yg.mul(yg).sum().backward();
        }
        Map<String, Tensor> pg = cl.namedParameters();
        cpu.namedParameters().forEach((k, p) -> assertArrayEquals(p.grad().toFloatArray(), pg.get(k).grad().toFloatArray(),
                2e-3f, k));
        Map<String, Tensor> bg = cl.namedBuffers();
        cpu.namedBuffers().forEach((k, b) -> assertArrayEquals(b.toFloatArray(), bg.get(k).toFloatArray(), 1e-4f, k));
    }

    @Test
    void layersMatchTheCpu() {
        SplittableRandom rng = new SplittableRandom(5);
        same(() -> new Sequential(new Linear(6, 5), new ReLU(), new LayerNorm(5), new Dropout(0.0), new Linear(5, 3)),
                Tensor.randn(rng, 4, 6));
        same(() -> new BatchNorm2d(3), Tensor.randn(rng, 4, 3, 5, 5));
        same(() -> new LSTM(3, 4, 2, false), Tensor.randn(rng, 5, 2, 3));
        same(() -> new GRU(3, 4, 1, true), Tensor.randn(rng, 2, 5, 3));
        same(() -> new Embedding(7, 3), Tensor.of(new long[] {1, 6, 1, 0}, 2, 2));
        assertTrue(new Linear(2, 2).to("opencl").parameters().get(1).device().name().startsWith("opencl"));
    }
}
