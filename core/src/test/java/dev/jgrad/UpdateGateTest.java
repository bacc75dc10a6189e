package dev.jgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jgrad.backend.UpdateStep;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-place gate of the fused optimizer step: every row is validated before anything is written. */
class UpdateGateTest {
    private static final UpdateStep SGD = new UpdateStep.Sgd(0.5, 0, 0, 0, false, false);

    /** A parameter as the optimizer hands it over: the step runs under no-grad, so requiresGrad does not matter. */
    private static Tensor param(double... v) {
        return Tensor.of(v, v.length);
    }

    private static void rejects(String message, Tensor[] second) {
        Tensor p0 = param(1, 2);
        Tensor g0 = Tensor.of(new double[] {1, 1}, 2);
        int v0 = p0.version();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InPlace.update("SGD",
                List.of(SGD, SGD), List.of(new Tensor[] {p0, g0}, second), new int[] {0, 1}));
        assertEquals(message, e.getMessage());
        assertArrayEquals(new double[] {1, 2}, p0.toDoubleArray(), "the valid parameter was not written");
        assertEquals(v0, p0.version());
    }

    @Test
    void gradientOfAnotherShapeDtypeOrDevice() {
        rejects("SGD: parameter 1 is F64 [3] on cpu but its gradient is F64 [2] on cpu; they must match in device,"
                + " dtype and shape", new Tensor[] {param(1, 2, 3), Tensor.zeros(DType.F64, 2)});
        rejects("SGD: parameter 1 is F64 [3] on cpu but its gradient is F32 [3] on cpu; they must match in device,"
                + " dtype and shape", new Tensor[] {param(1, 2, 3), Tensor.zeros(3)});
        rejects("SGD: parameter 1 is F64 [3] on cpu but its gradient is F64 [3] on reference; they must match in"
                + " device, dtype and shape", new Tensor[] {param(1, 2, 3), Tensor.zeros(DType.F64, 3).to("reference")});
    }

    @Test
    void parametersSharingMemoryOrMissingState() {
        Tensor p = param(1, 2, 3, 4);
        Tensor half = p.narrow(0, 0, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InPlace.update("Adam",
                List.of(SGD, SGD), List.of(new Tensor[] {p, p.zerosLike()}, new Tensor[] {half, half.zerosLike()}),
                new int[] {0, 1}));
        assertEquals("Adam: parameter 1 [2] shares memory with parameter 0; each parameter must own its storage"
                + " (pass each tensor once)", e.getMessage());
        UpdateStep adam = new UpdateStep.Adam(0.1, 0.9, 0.999, 1e-8, 0, 1, 1, false);
        e = assertThrows(IllegalArgumentException.class, () -> InPlace.update("Adam", List.of(adam),
                List.<Tensor[]>of(new Tensor[] {p, p.zerosLike()}), new int[] {3}));
        assertEquals("Adam: parameter 3: Adam needs 2 state tensors, got 0", e.getMessage());
    }

    @Test
    void aParameterRequiringGradIsRefusedWhileRecording() {
        Tensor p = param(1, 2).requiresGrad(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> InPlace.update("SGD", List.of(SGD),
                List.<Tensor[]>of(new Tensor[] {p, p.zerosLike()}), new int[] {0}));
        assertEquals(true, e.getMessage().startsWith("SGD: parameter 0: the tensor of shape [2] requires grad"));
    }

    @Test
    void aGradientAliasingItsParameterIsReadBeforeTheWrite() {
        Tensor p = param(1, 2);
        InPlace.update("SGD", List.of(SGD), List.<Tensor[]>of(new Tensor[] {p, p.detach()}), new int[] {0});
        assertArrayEquals(new double[] {0.5, 1}, p.toDoubleArray());
    }
}
