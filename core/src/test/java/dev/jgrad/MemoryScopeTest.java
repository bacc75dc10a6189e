package dev.jgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.backend.HeapMemory;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Losses;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Tanh;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.Optimizer;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MemoryScope on the host backends: what a scope created and did not keep is released (using it
 * is an IllegalStateException), what it kept survives with the graph behind it, and state that
 * belongs to long-lived objects (gradients, optimizer state, parameters) leaves the scope.
 */
class MemoryScopeTest {

    private static Tensor on(String device, float... v) {
        return Tensor.of(v, v.length).to(device);
    }

    private static void released(Tensor t) {
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toDoubleArray);
        assertTrue(e.getMessage().contains("released by a MemoryScope"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> t.add(t));
        assertThrows(IllegalStateException.class, () -> t.fillInPlace(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void whatIsNotKeptIsReleasedAndWhatIsKeptSurvives(String device) {
        Tensor before = on(device, 1, 2, 3);
        Tensor tmp, kept, view;
        try (var scope = MemoryScope.open()) {
            tmp = before.mul(2);
            view = tmp.narrow(0, 1, 2);
            kept = scope.keep(before.add(1));
            before.addInPlace(tmp);   // a tensor from outside, written inside, is not the scope's
        }
        released(tmp);
        released(view);
        assertArrayEquals(new int[] {3}, tmp.shape(), "metadata stays readable");
        assertArrayEquals(new double[] {2, 3, 4}, kept.toDoubleArray());
        assertArrayEquals(new double[] {3, 6, 9}, before.toDoubleArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void keepingATensorKeepsTheGraphABackwardNeeds(String device) {
        Tensor w = on(device, 0.5f, -1, 2).requiresGrad(true);
        Tensor x = on(device, 3, 4, 5);
        Tensor loss;
        try (var scope = MemoryScope.open()) {
            Tensor h = w.mul(x).tanh();      // tanh saves its output, mul saves w and x
            loss = scope.keep(h.mul(h).sum());
        }
        loss.backward();                      // after the scope: every saved tensor is still there
        Tensor w2 = on(device, 0.5f, -1, 2).requiresGrad(true);
        Tensor h2 = w2.mul(x).tanh();
        h2.mul(h2).sum().backward();
        assertArrayEquals(w2.grad().toDoubleArray(), w.grad().toDoubleArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void aBackwardThroughAReleasedGraphIsAClearError(String device) {
        Tensor w = on(device, 1, 2).requiresGrad(true);
        Tensor loss;
        try (var scope = MemoryScope.open()) {
            loss = w.mul(w).exp().sum();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("MemoryScope"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void trainingStepsInScopesMatchTrainingWithout(String device) {
        double[] plain = train(device, false);
        double[] scoped = train(device, true);
        assertArrayEquals(plain, scoped, "bit-identical parameters after 5 Adam steps");
    }

    private static double[] train(String device, boolean scoped) {
        Tensor.manualSeed(7);
        Module model = new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 1)).to(device);
        Optimizer opt = new Adam(model.parameters(), 0.05);
        Tensor x = Tensor.randn(new Random(1), 8, 3).to(device);
        Tensor y = Tensor.randn(new Random(2), 8, 1).to(device);
        for (int step = 0; step < 5; step++) {
            // the first step creates Adam's state and every gradient inside the scope; both must outlive it
            try (var scope = scoped ? MemoryScope.open() : null) {
                opt.zeroGrad();
                Losses.mse(model.forward(x), y).backward();
                opt.step();
            }
        }
        return model.parameters().stream().flatMapToDouble(p -> Arrays.stream(p.toDoubleArray())).toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void aModuleBuiltInsideAScopeKeepsItsParameters(String device) {
        Linear layer;
        try (var scope = MemoryScope.open()) {
            layer = new Linear(2, 2);
            layer.to(device);
        }
        assertNotNull(layer.forward(on(device, 1, 2)).toDoubleArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void nestedScopesHandKeptTensorsOutward(String device) {
        Tensor innerKept, outerKept;
        try (var outer = MemoryScope.open()) {
            try (var inner = MemoryScope.open()) {
                innerKept = inner.keep(on(device, 1, 2));
                outerKept = inner.keep(on(device, 3, 4));
            }
            assertArrayEquals(new double[] {1, 2}, innerKept.toDoubleArray(), "alive in the outer scope");
            outer.keep(outerKept);
        }
        released(innerKept);
        assertArrayEquals(new double[] {3, 4}, outerKept.toDoubleArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void scopesCloseInOrderOnTheirOwnThread(String device) throws Exception {
        MemoryScope outer = MemoryScope.open();
        MemoryScope inner = MemoryScope.open();
        assertThrows(IllegalStateException.class, outer::close, "an inner scope is open");
        CompletableFuture<Void> other = CompletableFuture.runAsync(inner::close);
        ExecutionException e = assertThrows(ExecutionException.class, other::get);
        assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
        inner.close();
        inner.close();   // idempotent
        assertThrows(IllegalStateException.class, () -> inner.keep(on(device, 1)));
        outer.close();
        assertTrue(outer.isClosed());
        Tensor after = on(device, 5);
        assertEquals(5, after.item(), "no scope is current any more");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void tensorsMadeOnOtherThreadsDoNotJoinTheScope(String device) throws Exception {
        Tensor fromWorker;
        try (var scope = MemoryScope.open()) {
            fromWorker = CompletableFuture.supplyAsync(() -> on(device, 7, 8)).get();
        }
        assertArrayEquals(new double[] {7, 8}, fromWorker.toDoubleArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void gradientsOfLeavesOutsideTheScopeSurviveIt(String device) {
        Tensor w = on(device, 1, 2).requiresGrad(true);
        try (var scope = MemoryScope.open()) {
            w.mul(w).sum().backward();
        }
        assertArrayEquals(new double[] {2, 4}, w.grad().toDoubleArray());
        Tensor g = w.grad();
        try (var scope = MemoryScope.open()) {
            w.mul(w).sum().backward();   // accumulates into the existing gradient in place
        }
        assertSame(g, w.grad());
        assertArrayEquals(new double[] {4, 8}, w.grad().toDoubleArray());
        assertFalse(g.requiresGrad());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void theNextScopeReusesReleasedArraysAndComputesTheSame(String device) {
        Tensor x = Tensor.randn(new SplittableRandom(3), 64, 129).to(device);   // 33 KB: pooled
        float[] expected = x.exp().toFloatArray();
        long bytes = 64L * 129 * 4;
        long pooled;
        try (var scope = MemoryScope.open()) {
            x.exp();
        }
        pooled = HeapMemory.pooledBytes();
        assertTrue(pooled >= bytes, "the released output is held for reuse: " + pooled);
        try (var scope = MemoryScope.open()) {
            Tensor again = x.exp();   // its array comes back from the pool, unfilled, and is overwritten
            assertEquals(pooled - bytes, HeapMemory.pooledBytes());
            assertArrayEquals(expected, again.toFloatArray());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void trainingStepsInScopesMatchStepsWithout(String device) {
        float[][] results = new float[2][];
        for (int scoped = 0; scoped < 2; scoped++) {
            Tensor.manualSeed(5);
            Module model = new Sequential(new Linear(64, 128), new Tanh(), new Linear(128, 8)).to(device);
            Optimizer opt = new Adam(model.parameters(), 0.01);
            Tensor x = Tensor.randn(new SplittableRandom(4), 64, 64).to(device);
            Tensor y = Tensor.randn(new SplittableRandom(5), 64, 8).to(device);
            for (int step = 0; step < 4; step++) {
                try (var scope = scoped == 1 ? MemoryScope.open("the test's scope") : null) {
                    opt.zeroGrad();
                    Losses.mse(model.forward(x), y).backward();
                    opt.step();
                }
            }
            results[scoped] = model.parameters().get(0).toFloatArray();
        }
        // bit for bit on the scalar reference backend; the cpu kernels' vector reductions may round
        // differently before and after C2 compiles them, so there the last bits may differ
        assertArrayEquals(results[0], results[1], device.equals("reference") ? 0 : 1e-6f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void aNamedScopeNamesItselfInTheError(String device) {
        Tensor t;
        try (var scope = MemoryScope.open("the test's per-step scope")) {
            t = on(device, 1, 2).mul(3);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toDoubleArray);
        assertTrue(e.getMessage().contains("released by the test's per-step scope that closed"), e.getMessage());
    }
}
