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
}
