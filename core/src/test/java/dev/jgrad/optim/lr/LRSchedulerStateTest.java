package dev.jgrad.optim.lr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A schedule restored from its state dict continues with the same learning rates as the original. */
class LRSchedulerStateTest {
    private static Optimizer opt() {
        return new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), 0.1);
    }

    private static void resumes(Function<Optimizer, LRScheduler> make, double[] metrics) {
        LRScheduler a = make.apply(opt());
        for (int i = 0; i < 5; i++) {
            step(a, metrics, i);
        }
        Map<String, Double> state = a.stateDict();
        Optimizer fresh = opt();
        LRScheduler b = make.apply(fresh);
        b.loadStateDict(state);
        fresh.setLr(a.optimizer().lr());   // the optimizer's own state dict carries its lr in a checkpoint
        for (int i = 5; i < 15; i++) {
            step(a, metrics, i);
            step(b, metrics, i);
            assertEquals(a.lastLr(), b.lastLr(), 0.0, "epoch " + i);
        }
    }

    private static void step(LRScheduler s, double[] metrics, int i) {
        if (s instanceof ReduceLROnPlateau p) {
            p.step(metrics[i]);
        } else {
            s.step();
        }
    }

    @Test
    void sequentialAndPlateauSchedulesResume() {
        resumes(o -> new SequentialLR(o, List.of(new LinearLR(o, 0.25, 1.0, 3), new CosineAnnealingLR(o, 8, 0.001)),
                new int[] {3}), null);
        double[] metrics = {1, 0.9, 0.95, 0.96, 0.97, 0.98, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1, 1, 1};
        resumes(o -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 0.5, 2, 1e-4), metrics);
        resumes(o -> new OneCycleLR(o, 0.5, 30), null);
    }

    @Test
    void aStateOfAnotherScheduleIsRefused() {
        Optimizer o = opt();
        LRScheduler step = new StepLR(o, 2, 0.5);
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(opt(), ReduceLROnPlateau.Mode.MIN, 0.5, 2, 1e-4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plateau.loadStateDict(step.stateDict()));
        assertTrue(e.getMessage().contains("ReduceLROnPlateau") && e.getMessage().contains("best"), e.getMessage());
    }
}
