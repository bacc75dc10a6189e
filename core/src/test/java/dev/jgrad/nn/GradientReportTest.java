package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The gradient report on deep networks: vanishing sigmoid stacks, healthy ReLU + BatchNorm, injected infinities. */
class GradientReportTest {
    private static Sequential deep(int depth, IntFunction<Module[]> block) {
        Sequential s = new Sequential();
        for (int i = 0; i < depth; i++) {
            for (Module m : block.apply(i)) {
                s.add(m);
            }
        }
        return s;
    }

    private static void backward(Module model) {
        Tensor x = Tensor.randn(new SplittableRandom(3), 32, 16);
        model.forward(x).pow(2).mean().backward();
    }

    @Test
    void aDeepSigmoidNetworkVanishesInItsFirstLayersAndReluWithBatchNormDoesNot() {
        Tensor.manualSeed(1);
        Sequential sigmoid = deep(20, i -> new Module[] {new Linear(16, 16), new Sigmoid()});
        backward(sigmoid);
        GradientReport r = GradientReport.of(sigmoid);
        List<String> vanishing = r.layersWith(GradientReport.Status.VANISHING);
        assertTrue(vanishing.contains("0") && vanishing.contains("2"), "the first Linear layers vanish:\n" + r);
        assertEquals(GradientReport.Status.OK, r.layers().get(r.layers().size() - 1).status(), r.toString());
        assertTrue(r.layers().get(0).norm() < 1e-4 * r.layers().get(19).norm(), r.toString());

        Tensor.manualSeed(1);
        Sequential healthy = deep(20, i -> new Module[] {new Linear(16, 16), new BatchNorm1d(16), new ReLU()});
        backward(healthy);
        GradientReport h = GradientReport.of(healthy);
        assertTrue(h.layersWith(GradientReport.Status.VANISHING).isEmpty(), h.toString());
        assertTrue(h.layersWith(GradientReport.Status.EXPLODING).isEmpty(), h.toString());
        assertEquals(80, h.parameters().size(), "weight and bias of 20 Linear and 20 BatchNorm layers");
    }

    @Test
    void anInjectedInfinityIsFlaggedExplodingNamingTheLayer() {
        Tensor.manualSeed(2);
        Sequential net = deep(3, i -> new Module[] {new Linear(16, 16), new Tanh()});
        net.namedParameters().get("2.weight").registerHook(g -> {
            float[] v = g.toFloatArray();
            v[5] = Float.POSITIVE_INFINITY;
            return Tensor.of(v, g.shape());
        });
        backward(net);
        GradientReport r = GradientReport.of(net);
        assertEquals(List.of("2"), r.layersWith(GradientReport.Status.EXPLODING), r.toString());
        assertEquals(Double.POSITIVE_INFINITY, r.parameters().get(2).maxAbs());
        assertTrue(r.toString().contains("2                                Infinity  EXPLODING"), r.toString());
    }

    @Test
    void statisticsMatchTheirDefinitions() {
        Tensor.manualSeed(4);
        Linear used = new Linear(4, 3);
        Linear unused = new Linear(4, 3);
        Sequential net = new Sequential(used);
        net.add(new Identity());
        Module both = new Module() {
            {
                register("used", used);
                register("unused", unused);
            }

            @Override
            public Tensor forward(Tensor x) {
                return used.forward(x);
            }
        };
        Tensor x = Tensor.of(new float[] {1, 0, 2, 0, 2, 0, 3, 0}, 2, 4);
        Map<String, Tensor> before = GradientReport.snapshot(both);
        both.forward(x).sum().backward();
        Tensor w = used.namedParameters().get("weight");
        double[] g = w.grad().toDoubleArray();
        double sq = 0, max = 0;
        for (double v : g) {
            sq += v * v;
            max = Math.max(max, Math.abs(v));
        }
        try (var ng = NoGrad.enter()) {
            for (Tensor p : both.parameters()) {
                if (p.grad() != null) {
                    p.addInPlace(p.grad(), -0.1);
                }
            }
        }
        GradientReport r = GradientReport.of(both, before, 1e-4, 1e3);
        GradientReport.Parameter pw = r.parameters().get(0);
        assertEquals("used.weight", pw.name());
        assertEquals(Math.sqrt(sq), pw.norm(), 1e-6);
        assertEquals(max, pw.maxAbs(), 1e-6);
        assertEquals(0.5, pw.zeroFraction(), "columns 1 and 3 of the input are zero, so are those of the gradient");
        double wn = Math.sqrt(w.mul(w).sum().item());
        assertEquals(0.1 * Math.sqrt(sq) / wn, pw.updateRatio(), 1e-6);
        assertEquals(GradientReport.Status.NO_GRAD, r.layers().get(1).status(), r.toString());
        assertTrue(Double.isNaN(GradientReport.of(both).parameters().get(0).updateRatio()));
        assertThrows(IllegalArgumentException.class, () -> GradientReport.of(both, null, 2, 1e3));
        assertThrows(IllegalArgumentException.class, () -> GradientReport.of(both, Map.of(), 1e-4, 1e3));
        assertThrows(IllegalArgumentException.class, () -> GradientReport.of(null));
    }

    /** A ReLU whose unit 1 is fed a large negative bias is dead; unit 0 is alive when a single example is positive. */
    @Test
    void deadReluUnitsAreCountedPerLayerOnlyWhileTracked() {
        Linear lin = new Linear(2, 3);
        lin.loadStateDict(Map.of("weight", Tensor.of(new float[] {1, 0, 0, 1, 0, 0}, 3, 2),
                "bias", Tensor.of(new float[] {0, -100, 0}, 3)));
        Sequential net = new Sequential(lin, new ReLU(), new Linear(3, 4), new ReLU());
        // Unit 0 sees x0 (positive only in the last example), unit 1 is dead, unit 2 outputs exactly 0 everywhere.
        Tensor x = Tensor.of(new float[] {-1, 2, -3, 4, 5, -6}, 3, 2);
        net.forward(x).sum().backward();
        assertTrue(GradientReport.of(net).deadUnits().isEmpty(), "no tracking, no counts");
        try (RemovableHandle h = GradientReport.trackDeadUnits(net)) {
            assertThrows(IllegalArgumentException.class, () -> GradientReport.trackDeadUnits(net));
            net.zeroGrad();
            net.forward(x).sum().backward();
            GradientReport r = GradientReport.of(net);
            assertEquals(List.of("1", "3"), r.deadUnits().stream().map(GradientReport.DeadUnits::name).toList());
            GradientReport.DeadUnits first = r.deadUnits().get(0);
            assertEquals(3, first.units());
            assertEquals(2, first.dead(), r.toString());
            assertEquals(2 / 3.0, first.fraction(), 1e-12);
            assertEquals(4, r.deadUnits().get(1).units());
            assertTrue(r.toString().contains("dead units"), r.toString());
            // The counts follow the last forward: a batch where unit 0 is never positive kills it too.
            net.forward(Tensor.of(new float[] {-1, 1}, 1, 2));
            assertEquals(3, GradientReport.of(net).deadUnits().get(0).dead());
        }
        net.forward(x);
        assertTrue(GradientReport.of(net).deadUnits().isEmpty(), "removing the handle ends the tracking");
    }

    /** A convolution's channel is a unit: dead when every position of every example is 0. */
    @Test
    void aChannelIsDeadWhenAllItsPositionsAreZero() {
        ReLU relu = new ReLU();
        Sequential net = new Sequential(relu);
        float[] v = new float[2 * 3 * 2 * 2];
        v[0] = 1;  // example 0, channel 0, position 0
        v[23] = 2; // example 1, channel 2, last position
        try (RemovableHandle h = GradientReport.trackDeadUnits(net)) {
            net.forward(Tensor.of(v, 2, 3, 2, 2));
            GradientReport.DeadUnits d = GradientReport.of(net).deadUnits().get(0);
            assertEquals(3, d.units());
            assertEquals(1, d.dead());
        }
    }
}
