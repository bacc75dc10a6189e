package dev.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.optim.lr.StepLR;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Optimizer behaviour beyond the formulas: state dicts, skipped parameters, versions, groups, bad input. */
class OptimizerTest {
    private static final Fixtures F = new Fixtures("optimizers-F64.txt");

    private static double[][] values(List<Tensor> ps) {
        return ps.stream().map(Tensor::toDoubleArray).toArray(double[][]::new);
    }

    private static void train(Optimizer o, List<Tensor> p, Tensor x, Tensor y, int steps) {
        for (int s = 0; s < steps; s++) {
            o.zeroGrad();
            OptimizerFixtureTest.backward(x, y, p);
            o.step();
        }
    }

    @Test
    void stateDictRoundTripContinuesBitIdentically() {
        for (var e : OptimizerFixtureTest.CASES.entrySet()) {
            Function<List<Tensor>, Optimizer> make = e.getValue();
            Tensor x = F.tensor("x", DType.F64, "cpu"), y = F.tensor("y", DType.F64, "cpu");
            List<Tensor> straight = OptimizerFixtureTest.initial(F, DType.F64, "cpu");
            Optimizer a = make.apply(straight);
            train(a, straight, x, y, 8);

            List<Tensor> first = OptimizerFixtureTest.initial(F, DType.F64, "cpu");
            Optimizer b = make.apply(first);
            train(b, first, x, y, 4);
            Map<String, Tensor> saved = b.stateDict();
            List<Tensor> resumed = new ArrayList<>();
            for (Tensor p : first) {
                resumed.add(p.detach().copy().requiresGrad(true));
            }
            Optimizer c = make.apply(resumed);
            c.loadStateDict(saved);
            train(c, resumed, x, y, 4);
            double[][] want = values(straight), got = values(resumed);
            for (int i = 0; i < want.length; i++) {
                assertArrayEquals(want[i], got[i], 0, e.getKey() + ": resumed parameter " + i);
            }
            assertEquals(saved.keySet(), c.stateDict().keySet(), e.getKey() + ": same keys after the resume");
        }
    }

    @Test
    void hyperparametersTravelWithTheStateDict() {
        Tensor p = Tensor.zeros(2).requiresGrad(true);
        Adam a = new Adam(List.of(p), 0.5, 0.7, 0.9, 1e-3, 0.2, true);
        Map<String, Tensor> s = a.stateDict();
        assertEquals(0.7, s.get("hyper.beta1").item());
        assertEquals(0.2, s.get("param_groups.0.weight_decay").item());
        Adam b = new Adam(List.of(Tensor.zeros(2).requiresGrad(true)), 0.1);
        b.loadStateDict(s);
        assertEquals(0.5, b.lr());
        assertEquals(b.stateDict().keySet(), s.keySet());
        assertEquals(0.9, b.stateDict().get("hyper.beta2").item());
    }

    @Test
    void loadStateDictValidatesBeforeChangingAnything() {
        Tensor p = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        SGD a = new SGD(List.of(p), 0.1, 0.9, 0, 0, false);
        p.mul(p).sum().backward();
        a.step();
        Map<String, Tensor> s = new java.util.LinkedHashMap<>(a.stateDict());
        s.put("state.0.momentum_buffer", Tensor.zeros(3));
        s.put("param_groups.0.lr", Tensor.scalar(7.0));
        SGD b = new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), 0.1, 0.9, 0, 0, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(s));
        assertEquals("SGD: loadStateDict: state.0.momentum_buffer is F32 [3] but parameter 0 is F32 [2]",
                e.getMessage());
        assertEquals(0.1, b.lr(), "nothing changed");
        s.remove("state.0.momentum_buffer");
        e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(s));
        assertEquals("SGD: loadStateDict: the entry 'state.0.momentum_buffer' is missing", e.getMessage());
        Map<String, Tensor> extra = new java.util.LinkedHashMap<>(a.stateDict());
        extra.put("state.9.step", Tensor.scalar(1.0));
        e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(extra));
        assertTrue(e.getMessage().startsWith("SGD: loadStateDict: unexpected entry 'state.9.step'"), e.getMessage());
    }

    @Test
    void parametersWithoutGradAreSkippedAndVersionsBumped() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {3}, 1).requiresGrad(true);
        Adam o = new Adam(List.of(a, b), 0.1);
        a.mul(a).sum().backward();
        int va = a.version(), vb = b.version();
        o.step();
        assertArrayEquals(new double[] {3}, b.toDoubleArray(), "b had no grad");
        assertEquals(vb, b.version());
        assertTrue(a.version() > va, "the step bumps the version");
        assertTrue(o.stateDict().containsKey("state.0.exp_avg"));
        assertTrue(!o.stateDict().containsKey("state.1.step"), "no state for a parameter never stepped");
        o.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void aFailedStepLeavesEveryParameterAndStateUnchanged() {
        Tensor good = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        // A leaf over an expanded (stride 0) view: the gate refuses to write it.
        Tensor bad = Tensor.of(new double[] {5}, 1).expand(3).detach().requiresGrad(true);
        Adam o = new Adam(List.of(good, bad), 0.1);
        good.mul(good).sum().backward();
        bad.mul(bad).sum().backward();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, o::step);
        assertTrue(e.getMessage().startsWith("Adam: parameter 1: the tensor of shape [3] is an expanded view"),
                e.getMessage());
        assertArrayEquals(new double[] {1, 2}, good.toDoubleArray(), "parameter 0 untouched");
        assertTrue(o.stateDict().keySet().stream().noneMatch(k -> k.startsWith("state.")), "no state created");
    }

    @Test
    void paramGroupsHaveTheirOwnLrAndDecay() {
        Tensor w = Tensor.of(new double[] {1}, 1).requiresGrad(true), b = Tensor.of(new double[] {1}, 1).requiresGrad(true);
        SGD o = new SGD(List.of(w), 0.1, 0, 0, 0.5, false);
        ParamGroup g = o.addParamGroup(List.of(b)).setLr(0.2).setWeightDecay(0);
        assertEquals(2, o.paramGroups().size());
        w.mul(2.0).sum().backward();
        b.mul(2.0).sum().backward();
        o.step();
        assertArrayEquals(new double[] {1 - 0.1 * (2 + 0.5)}, w.toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {1 - 0.2 * 2}, b.toDoubleArray(), 1e-15);
        o.setLr(0.01);
        assertEquals(0.01, g.lr());
        StepLR s = new StepLR(o, 1, 0.5);
        s.step();
        assertArrayEquals(new double[] {0.005, 0.005}, s.lastLrs());
    }

    @Test
    void badInputNamesTheOptimizerTheParameterAndTheValue() {
        Tensor p = Tensor.zeros(2, 3).requiresGrad(true);
        List<Tensor> ps = List.of(p);
        expect("SGD: lr must be >= 0, got -0.1", () -> new SGD(ps, -0.1));
        expect("Adam: beta1 must be in [0, 1), got 1.0", () -> new Adam(ps, 1e-3, 1.0, 0.999, 1e-8, 0, false));
        expect("AdamW: beta2 must be in [0, 1), got -0.5", () -> new AdamW(ps, 1e-3, 0.9, -0.5, 1e-8, 0, false));
        expect("Adam: eps must be >= 0, got -1.0E-8", () -> new Adam(ps, 1e-3, 0.9, 0.999, -1e-8, 0, false));
        expect("RMSprop: weightDecay must be >= 0, got -1.0", () -> new RMSprop(ps, 1e-2, 0.99, 1e-8, -1, 0, false));
        expect("Adagrad: lrDecay must be >= 0, got -0.1", () -> new Adagrad(ps, 1e-2, -0.1, 0, 0, 1e-10));
        expect("SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum 0.0 and dampening 0.0",
                () -> new SGD(ps, 0.1, 0, 0, 0, true));
        expect("SGD: the parameter list is empty", () -> new SGD(List.of(), 0.1));
        expect("Adam: parameter 1 [2, 3] is the same tensor as parameter 0", () -> new Adam(List.of(p, p), 0.1));
        expect("Adam: parameter 1 [4] does not require grad", () -> new Adam(List.of(p, Tensor.zeros(4)), 0.1));
        expect("RMSprop: parameter 0 [2, 3] is not a leaf", () -> new RMSprop(List.of(p.mul(2.0)), 0.1));
        expect("SGD: lr of param group 0 must be >= 0, got NaN", () -> new SGD(ps, 0.1).paramGroups().get(0).setLr(Double.NaN));
    }

    private static void expect(String message, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
