package dev.jgrad.optim.lr;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import dev.jgrad.optim.Fixtures;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every schedule's 50-step learning-rate sequence against PyTorch 1.13 (schedules.txt), and bad input. */
class LRSchedulerTest {
    private static final Fixtures F = new Fixtures("schedules.txt");

    private static Optimizer sgd() {
        return new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 0.1);
    }

    private static void check(String name, Function<Optimizer, LRScheduler> make) {
        Optimizer o = sgd();
        LRScheduler s = make.apply(o);
        double[] expected = F.values(name);
        double[] actual = new double[expected.length];
        actual[0] = s.lastLr();
        for (int k = 1; k < actual.length; k++) {
            o.step();
            s.step();
            actual[k] = s.lastLr();
            assertTrue(o.lr() == actual[k], name + ": the optimizer's lr is the schedule's");
        }
        Fixtures.assertClose(expected, actual, 1e-12, 0, name);
    }

    @Test
    void stepLR() {
        check("StepLR", o -> new StepLR(o, 7, 0.5));
    }

    @Test
    void multiStepLRWithARepeatedMilestone() {
        check("MultiStepLR", o -> new MultiStepLR(o, new int[] {5, 12, 12, 30}, 0.3));
    }

    @Test
    void exponentialLR() {
        check("ExponentialLR", o -> new ExponentialLR(o, 0.9));
    }

    @Test
    void cosineAnnealingLROverMoreThanTwoPeriods() {
        check("CosineAnnealingLR", o -> new CosineAnnealingLR(o, 10, 0.001));
    }

    @Test
    void linearLRWarmUp() {
        check("LinearLR", o -> new LinearLR(o, 0.25, 1.0, 8));
    }

    @Test
    void oneCycleLR() {
        check("OneCycleLR", o -> new OneCycleLR(o, 0.5, 50));
    }

    @Test
    void sequentialWarmUpThenCosine() {
        check("SequentialLR", o -> new SequentialLR(o, List.of(new LinearLR(o, 0.25, 1.0, 5),
                new CosineAnnealingLR(o, 20, 0.001)), new int[] {5}));
    }

    @Test
    void sequentialOfThree() {
        check("SequentialLR3", o -> new SequentialLR(o, List.of(new ExponentialLR(o, 0.9), new StepLR(o, 4, 0.5),
                new MultiStepLR(o, new int[] {3, 6}, 0.1)), new int[] {10, 25}));
    }

    @Test
    void reduceOnPlateauMinAndMax() {
        double[] metrics = F.values("plateauMetrics");
        for (ReduceLROnPlateau.Mode mode : ReduceLROnPlateau.Mode.values()) {
            Optimizer o = sgd();
            boolean min = mode == ReduceLROnPlateau.Mode.MIN;
            ReduceLROnPlateau s = min ? new ReduceLROnPlateau(o, mode, 0.5, 2, 1e-4)
                    : new ReduceLROnPlateau(o, mode, 0.3, 1, 1e-3);
            double[] expected = F.values(min ? "ReduceLROnPlateau" : "ReduceLROnPlateauMax");
            double[] actual = new double[expected.length];
            actual[0] = o.lr();
            for (int k = 0; k < metrics.length; k++) {
                s.step(min ? metrics[k] : -metrics[k]);
                actual[k + 1] = s.lastLr();
            }
            Fixtures.assertClose(expected, actual, 1e-12, 0, "ReduceLROnPlateau " + mode);
            assertThrows(IllegalStateException.class, s::step);
        }
    }

    @Test
    void oneCycleRefusesToStepPastTheCycle() {
        Optimizer o = sgd();
        OneCycleLR s = new OneCycleLR(o, 0.5, 3);
        for (int k = 0; k < 3; k++) {
            s.step();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, s::step);
        assertTrue(e.getMessage().contains("OneCycleLR") && e.getMessage().contains("3 steps"), e.getMessage());
    }

    @Test
    void badArgumentsNameTheScheduleAndValue() {
        Optimizer o = sgd();
        expect("StepLR: stepSize must be > 0, got 0", () -> new StepLR(o, 0, 0.5));
        expect("ExponentialLR: gamma must be > 0, got -0.5", () -> new ExponentialLR(o, -0.5));
        expect("CosineAnnealingLR: etaMin must be >= 0, got -1.0", () -> new CosineAnnealingLR(o, 5, -1));
        expect("LinearLR: startFactor must be in (0, 1], got 0.0", () -> new LinearLR(o, 0, 1, 5));
        expect("ReduceLROnPlateau: factor must be in [0, 1), got 1.0",
                () -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 1.0, 2, 1e-4));
        expect("SequentialLR: needs one more schedule than milestones",
                () -> new SequentialLR(o, List.of(new StepLR(o, 2, 0.5)), new int[] {3}));
        expect("MultiStepLR: milestones must be >= 0", () -> new MultiStepLR(o, new int[] {-1, 4}, 0.5));
    }

    private static void expect(String message, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
