package dev.jgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Autograd;
import dev.jgrad.autograd.NoGrad;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** micrograd-style tests of the graph semantics: reuse, accumulation, detach, NoGrad, freeing, versions. */
class GraphTest {

    private static Tensor leaf(double... v) {
        return Tensor.of(v, v.length).requiresGrad(true);
    }

    @Test
    void diamondReuseSumsBothPaths() {
        // y = a*b + a*a  =>  dy/da = b + 2a, dy/db = a
        Tensor a = leaf(3);
        Tensor b = leaf(-2);
        Tensor y = a.mul(b).add(a.mul(a)).sum();
        y.backward();
        assertArrayEquals(new double[] {-2 + 6}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {3}, b.grad().toDoubleArray());
    }

    @Test
    void nodeGradientIsSummedOnceBeforeItsRuleRuns() {
        // h feeds two consumers; its rule (exp) must run once with the summed gradient.
        Tensor x = leaf(0.5);
        Tensor h = x.exp();
        AtomicInteger calls = new AtomicInteger();
        h.registerHook(g -> {
            calls.incrementAndGet();
            return g;
        });
        h.mul(2.0).add(h.mul(3.0)).sum().backward();
        assertEquals(1, calls.get());
        assertEquals(5 * Math.exp(0.5), x.grad().item(), 1e-12);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = leaf(2);
        x.mul(x).sum().backward();
        x.mul(x).sum().backward();
        assertEquals(8, x.grad().item(), 0);
        x.zeroGrad();
        assertNull(x.grad());
        x.mul(3.0).sum().backward();
        assertEquals(3, x.grad().item(), 0);
    }

    @Test
    void laterGradientsAddIntoTheSameGradTensorAsInPyTorch() {
        Tensor x = leaf(2);
        x.mul(x).sum().backward();
        Tensor first = x.grad();
        x.mul(x).sum().backward();
        assertSame(first, x.grad(), "accumulation outside createGraph is in place");
        assertEquals(8, first.item(), 0);
    }

    @Test
    void leavesNeverShareGradientMemory() {
        // add hands its incoming gradient to both inputs, reshape's backward a view of it: without
        // a copy, a.grad and b.grad would be one buffer and scaling one would scale the other.
        // PyTorch 1.13 copies only when the same tensor object is shared, so with the reshapes
        // its two .grads do alias; without them it matches this test.
        Tensor a = leaf(1, 2);
        Tensor b = leaf(3, 4);
        Tensor c = Tensor.of(new double[] {2, 3}, 1, 2);
        a.reshape(1, 2).add(b.reshape(1, 2)).mul(c).sum().backward();
        a.grad().mulInPlace(Tensor.scalar(5, DType.F64));
        assertArrayEquals(new double[] {10, 15}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {2, 3}, b.grad().toDoubleArray());
    }

    @Test
    void aLeafGradientNeverSharesTheCallersGradOutput() {
        Tensor a = leaf(1, 2);
        Tensor b = leaf(3, 4);
        Tensor seed = Tensor.of(new double[] {1, 1}, 2);
        a.add(b).backward(seed);
        seed.mulInPlace(Tensor.scalar(7, DType.F64));
        assertArrayEquals(new double[] {1, 1}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {1, 1}, b.grad().toDoubleArray());
        Tensor c = leaf(5, 6);
        Tensor createGraphSeed = Tensor.of(new double[] {2, 2}, 2);
        Autograd.backward(c.add(b), createGraphSeed, false, true);
        createGraphSeed.mulInPlace(Tensor.scalar(7, DType.F64));
        assertArrayEquals(new double[] {2, 2}, c.grad().toDoubleArray(), "under createGraph the leaf keeps a copy too");
    }

    @Test
    void aGradientAHookKeptIsNotChangedByLaterAccumulation() {
        Tensor x = leaf(1, 1);
        List<Tensor> kept = new java.util.ArrayList<>();
        x.registerHook(g -> {
            kept.add(g);
            return g;
        });
        x.mul(2.0).sum().backward();
        x.mul(3.0).sum().backward();
        assertArrayEquals(new double[] {2, 2}, kept.get(0).toDoubleArray(), "the first gradient, as the hook saw it");
        assertArrayEquals(new double[] {5, 5}, x.grad().toDoubleArray());
    }

    @Test
    void detachCutsTheGraphButSharesMemory() {
        Tensor x = leaf(1, 2);
        Tensor d = x.mul(2.0).detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
        Tensor y = x.mul(d).sum();
        y.backward();
        assertArrayEquals(new double[] {2, 4}, x.grad().toDoubleArray());
        Tensor shared = x.detach();
        try (var g = NoGrad.enter()) {
            shared.mulInPlace(10);
        }
        assertArrayEquals(new double[] {10, 20}, x.toDoubleArray());
    }

    @Test
    void noGradRecordsNothingAndNests() {
        Tensor x = leaf(1);
        assertTrue(NoGrad.isGradEnabled());
        try (var outer = NoGrad.enter()) {
            assertFalse(x.exp().requiresGrad());
            try (var inner = NoGrad.enter()) {
                assertFalse(NoGrad.isGradEnabled());
            }
            assertFalse(NoGrad.isGradEnabled());
        }
        assertTrue(NoGrad.isGradEnabled());
        assertTrue(x.exp().requiresGrad());
        assertNull(Tensor.of(new double[] {1}, 1).exp().gradFn(), "no input requires grad, nothing recorded");
    }

    @Test
    void noGradIsThreadLocal() throws Exception {
        try (var g = NoGrad.enter()) {
            boolean[] other = new boolean[1];
            Thread t = new Thread(() -> other[0] = NoGrad.isGradEnabled());
            t.start();
            t.join();
            assertTrue(other[0]);
        }
    }

    @Test
    void secondBackwardThroughFreedGraphNamesRetainGraph() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(x).sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
        assertTrue(e.getMessage().contains("mul"), e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = leaf(3);
        Tensor y = x.mul(x).sum();
        y.backward(Tensor.scalar(1, DType.F64), true);
        y.backward(Tensor.scalar(1, DType.F64), true);
        assertEquals(12, x.grad().item(), 0);
    }

    @Test
    void chainOf100000OpsDoesNotOverflowTheStack() {
        Tensor x = leaf(1);
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.add(1e-5);
        }
        y.sum().backward();
        assertEquals(1, x.grad().item(), 0);
    }

    @Test
    void inPlaceChangeOfASavedTensorIsAnError() {
        Tensor w = leaf(1, 2);
        Tensor x = Tensor.of(new double[] {3, 4}, 2);
        Tensor y = w.mul(x).sum();
        x.mulInPlace(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("modified by an in-place operation"), e.getMessage());
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
        assertTrue(e.getMessage().contains("version 1, expected version 0"), e.getMessage());
    }

    @Test
    void reluInPlaceClampsBumpsTheVersionAndIsCaughtWhenSaved() {
        Tensor x = Tensor.of(new double[] {-1, 0.5, Double.NaN, -0.0, 3}, 5);
        Tensor w = leaf(1, 1, 1, 1, 1);
        Tensor y = w.mul(x).sum();
        assertSame(x, x.reluInPlace());
        assertArrayEquals(new double[] {0, 0.5, Double.NaN, 0, 3}, x.toDoubleArray());
        assertEquals(1, x.version());
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("modified by an in-place operation"), e.getMessage());
    }

    @Test
    void inPlaceOnATensorThatRequiresGradNeedsNoGrad() {
        Tensor w = leaf(1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.subInPlace(w.mul(0.1)));
        assertTrue(e.getMessage().contains("NoGrad"), e.getMessage());
        assertArrayEquals(new double[] {1, 2}, w.toDoubleArray(), "left unmodified");
        try (var g = NoGrad.enter()) {
            w.subInPlace(Tensor.of(new double[] {0.5}, 1));
        }
        assertArrayEquals(new double[] {0.5, 1.5}, w.toDoubleArray());
        assertEquals(1, w.version());
    }

    @Test
    void functionalGradDoesNotTouchDotGradAndGivesHessianVectorProducts() {
        // f(x) = sum(x^3): grad = 3x^2, Hessian = diag(6x), so H·v = 6 x v.
        Tensor x = leaf(1, -2, 0.5);
        Tensor f = x.pow(3).sum();
        Tensor g = Autograd.grad(f, List.of(x), null, true).get(0);
        assertArrayEquals(new double[] {3, 12, 0.75}, g.toDoubleArray(), 1e-12);
        Tensor v = Tensor.of(new double[] {1, 0.5, 2}, 3);
        Tensor hv = Autograd.grad(g.mul(v).sum(), List.of(x), null, false).get(0);
        assertArrayEquals(new double[] {6, -6, 6}, hv.toDoubleArray(), 1e-12);
        assertNull(x.grad());
    }

    @Test
    void gradWithRespectToAnIntermediate() {
        Tensor x = leaf(2);
        Tensor h = x.mul(3.0);
        Tensor y = h.mul(h).sum();
        Tensor dh = Autograd.grad(y, List.of(h), null, false).get(0);
        assertEquals(12, dh.item(), 0);
    }

    @Test
    void unusedInputIsAnErrorUnlessAllowed() {
        Tensor x = leaf(1);
        Tensor z = leaf(1);
        Tensor y = x.exp().sum();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(y, List.of(z), null, false));
        assertTrue(e.getMessage().contains("allowUnused"), e.getMessage());
        assertNull(Autograd.grad(x.exp().sum(), List.of(z), null, false, true).get(0));
    }

    @Test
    void createGraphMakesLeafGradientsDifferentiable() {
        Tensor x = leaf(0.3);
        Autograd.backward(x.tanh().sum(), Tensor.scalar(1, DType.F64), false, true);
        Tensor g = x.grad();
        assertTrue(g.requiresGrad());
        Tensor gg = Autograd.grad(g.sum(), List.of(x), null, false).get(0);
        double t = Math.tanh(0.3);
        assertEquals(-2 * t * (1 - t * t), gg.item(), 1e-12);
    }

    @Test
    void hooksCanReplaceTheGradient() {
        Tensor x = leaf(1, 1);
        x.registerHook(g -> g.mul(10.0));
        x.mul(2.0).sum().backward();
        assertArrayEquals(new double[] {20, 20}, x.grad().toDoubleArray());
    }

    @Test
    void graphIsInspectable() {
        Tensor x = leaf(1);
        Tensor y = x.exp().mul(2.0);
        assertEquals("mulScalar", y.gradFn().name());
        assertEquals("exp", y.gradFn().nextFunctions().get(0).name());
        assertTrue(y.gradFn().nextFunctions().get(0).nextFunctions().get(0).isLeafAccumulator());
        assertSame(x.gradEdge(), y.gradFn().nextFunctions().get(0).nextFunctions().get(0));
    }

    @Test
    void requiresGradCannotBeSetOnANonLeafOrAnIndexTensor() {
        Tensor y = leaf(1).exp();
        assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new long[] {1}, 1).requiresGrad(true));
        assertTrue(e.getMessage().contains("I64"), e.getMessage());
    }
}
