package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.GradCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {

    /** A module with own parameters, a buffer and named children, as users write them. */
    static final class Net extends Module {
        final Linear fc1;
        final Linear fc2;

        Net() {
            registerParameter("scale", Tensor.ones(3));
            registerBuffer("steps", Tensor.zeros(DType.I64));
            registerBuffer("scratch", Tensor.zeros(2), false);
            fc1 = register("fc1", new Linear(4, 3));
            fc2 = register("fc2", new Linear(3, 2, false));
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc2.forward(fc1.forward(x).mul(parameter("scale")).relu());
        }
    }

    @Test
    void keysFollowPyTorch() {
        Net n = new Net();
        assertEquals(List.of("scale", "fc1.weight", "fc1.bias", "fc2.weight"), List.copyOf(n.namedParameters().keySet()));
        assertEquals(List.of("steps", "scratch"), List.copyOf(n.namedBuffers().keySet()));
        assertEquals(List.of("scale", "steps", "fc1.weight", "fc1.bias", "fc2.weight"),
                List.copyOf(n.stateDict().keySet()));
        Sequential s = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1)).add(new Identity());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(s.namedParameters().keySet()));
        assertEquals(4, s.size());
        assertEquals(4, s.parameters().size());
        assertTrue(s.parameters().stream().allMatch(Tensor::requiresGrad));
        assertArrayEquals(new int[] {3, 2}, s.namedParameters().get("0.weight").shape());
    }

    @Test
    void sharedParametersAppearOnce() {
        Linear l = new Linear(3, 3);
        Sequential s = new Sequential(l, new Tanh(), l);
        assertEquals(2, s.parameters().size());
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(s.namedParameters().keySet()));
        assertEquals(4, s.stateDict().size());
    }

    @Test
    void linearInitBounds() {
        Tensor.manualSeed(3);
        Linear l = new Linear(50, 40);
        double bound = 1 / Math.sqrt(50);
        double max = 0;
        for (double v : l.weight().toDoubleArray()) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= bound && max > 0.9 * bound, "max |w| " + max + " vs bound " + bound);
        for (double v : l.bias().toDoubleArray()) {
            assertTrue(Math.abs(v) <= bound);
        }
        Tensor.manualSeed(3);
        assertArrayEquals(l.weight().toFloatArray(), new Linear(50, 40).weight().toFloatArray());
    }

    @Test
    void loadStateDictCopiesIntoExistingTensors() {
        Net a = new Net();
        Net b = new Net();
        Tensor w = b.fc1.weight();
        int v0 = w.version();
        Map<String, Tensor> sd = new LinkedHashMap<>(a.stateDict());
        sd.put("fc1.bias", sd.get("fc1.bias").to(DType.F64)); // converted as copy_ does
        b.loadStateDict(sd);
        assertSame(w, b.fc1.weight());
        assertTrue(w.version() > v0);
        assertTrue(w.requiresGrad() && w.isLeaf());
        assertArrayEquals(a.fc1.weight().toFloatArray(), w.toFloatArray());
        assertArrayEquals(a.fc1.bias().toFloatArray(), b.fc1.bias().toFloatArray());
        assertEquals(DType.F32, b.fc1.bias().dtype());
        b.loadStateDict(b.stateDict()); // loading itself is a no-op, not an aliasing bug
        assertArrayEquals(a.fc1.weight().toFloatArray(), w.toFloatArray());
    }

    @Test
    void loadStateDictIsStrictAndAllOrNothing() {
        Net a = new Net();
        float[] before = a.fc1.weight().toFloatArray();
        Map<String, Tensor> sd = new LinkedHashMap<>(new Net().stateDict());
        sd.remove("fc2.weight");
        sd.put("fc1.bias", Tensor.zeros(4));
        sd.put("extra", Tensor.zeros(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.loadStateDict(sd));
        String m = e.getMessage();
        assertTrue(m.contains("missing key 'fc2.weight'") && m.contains("[2, 3]"), m);
        assertTrue(m.contains("'fc1.bias': expected [3], given [4]"), m);
        assertTrue(m.contains("unexpected key 'extra'"), m);
        assertArrayEquals(before, a.fc1.weight().toFloatArray());
    }

    @Test
    void trainEvalRecursive() {
        Net n = new Net();
        assertTrue(n.isTraining() && n.fc1.isTraining());
        assertSame(n, n.eval());
        assertFalse(n.isTraining() || n.fc1.isTraining() || n.fc2.isTraining());
        n.train();
        assertTrue(n.fc2.isTraining());
    }

    @Test
    void toDTypeConvertsFloatsOnly() {
        Net n = new Net();
        Tensor steps = n.namedBuffers().get("steps");
        Tensor x = Tensor.randn(5, 4);
        float[] y32 = n.forward(x).toFloatArray();
        assertSame(n, n.to(DType.F64));
        assertEquals(DType.F64, n.fc1.weight().dtype());
        assertTrue(n.fc1.weight().requiresGrad() && n.fc1.weight().isLeaf());
        assertSame(steps, n.namedBuffers().get("steps"));
        Tensor w = n.fc1.weight();
        n.to(DType.F64);
        assertSame(w, n.fc1.weight());
        double[] y64 = n.forward(x.to(DType.F64)).toDoubleArray();
        for (int i = 0; i < y64.length; i++) {
            assertEquals(y32[i], y64[i], 1e-5);
        }
        assertSame(n, n.to("cpu"));
        assertEquals("cpu", n.fc2.weight().device().name());
        assertThrows(IllegalArgumentException.class, () -> n.to(DType.I64));
    }

    @Test
    void zeroGradAndTraining() {
        Sequential s = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 1));
        Tensor loss = s.forward(Tensor.randn(5, 4)).sum();
        loss.backward();
        assertArrayEquals(new int[] {3, 4}, s.parameters().get(0).grad().shape());
        s.zeroGrad();
        assertNull(s.parameters().get(0).grad());
    }

    @Test
    void linearAndLayerNormSecondOrder() {
        Tensor.manualSeed(4);
        Sequential net = new Sequential(new Linear(4, 3), new Tanh(), new LayerNorm(3), new GELU(), new Linear(3, 2));
        net.to(DType.F64);
        Tensor x = Tensor.randn(new java.util.SplittableRandom(2), DType.F64, 5, 4).requiresGrad(true);
        GradCheck.Result first = GradCheck.check(xs -> net.forward(xs.get(0)), List.of(x));
        assertTrue(first.passed(), first.toString());
        GradCheck.Result second = GradCheck.checkSecondOrder(xs -> net.forward(xs.get(0)), List.of(x));
        assertTrue(second.passed(), second.toString());
    }

    @Test
    void registrationErrors() {
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerParameter("a.b", Tensor.zeros(1));
            }

            @Override
            public Tensor forward(Tensor input) {
                return input;
            }
        });
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerParameter("w", Tensor.zeros(1));
                registerBuffer("w", Tensor.zeros(1));
            }

            @Override
            public Tensor forward(Tensor input) {
                return input;
            }
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Linear(4, 2).forward(Tensor.zeros(3, 5)));
        assertTrue(e.getMessage().contains("Linear(4, 2)") && e.getMessage().contains("[3, 5]"));
    }

    @Test
    void activationModules() {
        Tensor x = Tensor.of(new float[] {-2, -0.5f, 0.5f, 2}, 2, 2);
        assertArrayEquals(x.relu().toFloatArray(), new ReLU().forward(x).toFloatArray());
        assertArrayEquals(x.leakyRelu(0.01).toFloatArray(), new LeakyReLU().forward(x).toFloatArray());
        assertArrayEquals(x.leakyRelu(0.2).toFloatArray(), new LeakyReLU(0.2).forward(x).toFloatArray());
        assertArrayEquals(x.sigmoid().toFloatArray(), new Sigmoid().forward(x).toFloatArray());
        assertArrayEquals(x.tanh().toFloatArray(), new Tanh().forward(x).toFloatArray());
        assertArrayEquals(x.gelu().toFloatArray(), new GELU().forward(x).toFloatArray());
        assertArrayEquals(x.mul(x.sigmoid()).toFloatArray(), new SiLU().forward(x).toFloatArray(), 1e-6f);
        assertArrayEquals(x.softmax(0).toFloatArray(), new Softmax(0).forward(x).toFloatArray());
        assertArrayEquals(x.logSoftmax(1).toFloatArray(), new LogSoftmax(1).forward(x).toFloatArray());
        assertSame(x, new Identity().forward(x));
        assertArrayEquals(new int[] {2, 12}, new Flatten().forward(Tensor.zeros(2, 3, 2, 2)).shape());
        assertArrayEquals(new int[] {2, 6, 2}, new Flatten(1, 2).forward(Tensor.zeros(2, 3, 2, 2)).shape());
        assertTrue(new Sequential(new Linear(2, 3), new ReLU()).toString().contains("(0): Linear(in_features=2"));
    }
}
