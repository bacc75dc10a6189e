package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The monitor keeps each layer's gradient norm per recorded step, as the reports give them. */
class GradientMonitorTest {
    @Test
    void recordsOneNormPerLayerPerStepAndTheFlaggedSteps() {
        Tensor.manualSeed(3);
        Sequential net = new Sequential();
        for (int i = 0; i < 12; i++) {
            net.add(new Linear(8, 8)).add(new Sigmoid());
        }
        GradientMonitor monitor = new GradientMonitor(net);
        Tensor x = Tensor.randn(new SplittableRandom(1), 16, 8);
        double[] firstLayer = new double[3];
        for (int step = 0; step < 3; step++) {
            net.zeroGrad();
            net.forward(x).pow(2).mean().backward();
            GradientReport r = monitor.record(step * 10);
            firstLayer[step] = r.layers().get(0).norm();
            try (var g = NoGrad.enter()) {
                net.parameters().forEach(p -> p.addInPlace(p.grad(), -0.5));
            }
        }
        assertEquals(List.of(0, 10, 20), monitor.steps());
        assertEquals(12, monitor.layerNorms().size());
        assertArrayEquals(firstLayer, monitor.layerNorms().get("0"));
        assertTrue(monitor.flaggedSteps().get(0).contains("0"), "12 sigmoid layers: the first vanishes");
        String csv = monitor.toCsv();
        assertTrue(csv.startsWith("step,0,2,4,"), csv);
        assertEquals(4, csv.split("\n").length, csv);
        assertThrows(IllegalArgumentException.class, () -> monitor.record(20));
        assertThrows(IllegalArgumentException.class, () -> new GradientMonitor(net, 0, 1));
    }

    @Test
    void recordsDeadUnitFractionsWhileTrackingIsOn() {
        Tensor.manualSeed(4);
        Sequential net = new Sequential(new Linear(4, 6), new ReLU(), new Linear(6, 1));
        GradientMonitor monitor = new GradientMonitor(net);
        Tensor x = Tensor.randn(new SplittableRandom(2), 8, 4);
        net.forward(x).sum().backward();
        monitor.record(1);
        assertTrue(monitor.deadUnitFractions().isEmpty(), "no tracking, no series");
        RemovableHandle h = GradientReport.trackDeadUnits(net);
        net.zeroGrad();
        net.forward(x).sum().backward();
        GradientReport r = monitor.record(2);
        h.remove();
        net.zeroGrad();
        net.forward(x).sum().backward();
        monitor.record(3);
        double[] series = monitor.deadUnitFractions().get("1");
        assertEquals(3, series.length);
        assertTrue(Double.isNaN(series[0]) && Double.isNaN(series[2]), java.util.Arrays.toString(series));
        assertEquals(r.deadUnits().get(0).fraction(), series[1], 0);
        assertEquals(3, monitor.layerNorms().get("0").length);
    }
}
