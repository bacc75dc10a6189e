package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A gradient hook that returns a tensor of another shape, dtype or device is refused where it
 * returns, naming the tensor, what it was given and what it returned, as PyTorch's "hook has
 * changed the size/type/device of value"; a conforming replacement is used.
 */
class HookResultTest {

    private static String refused(UnaryOperator<Tensor> hook, boolean onLeaf, String... parts) {
        Tensor w = Tensor.of(new float[] {1, 2, 3}, 3).to("cpu").requiresGrad(true);
        Tensor y = w.mul(2);
        (onLeaf ? w : y).registerHook(hook);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> y.sum().backward());
        String m = e.getMessage();
        for (String p : parts) {
            assertTrue(m.contains(p), "'" + p + "' missing from: " + m);
        }
        // nothing was half-applied: the leaf got no gradient
        assertNull(w.grad());
        return m;
    }

    @Test
    void aHookChangingTheShapeIsRefused() {
        refused(g -> g.sum(), true, "registerHook", "leaf tensor", "size", "[3] F32 on cpu", "[] F32 on cpu");
        refused(g -> Tensor.zeros(1, 3).to("cpu"), false, "output of mul", "size", "[3] F32", "[1, 3] F32");
    }

    @Test
    void aHookChangingTheDtypeIsRefused() {
        refused(g -> g.to(DType.F64), true, "type", "[3] F32 on cpu", "[3] F64 on cpu");
        refused(g -> g.to(DType.I64), false, "output of mul", "type", "F32", "I64");
    }

    @Test
    void aHookChangingTheDeviceIsRefused() {
        refused(g -> g.to("reference"), true, "device", "[3] F32 on cpu", "[3] F32 on reference");
        refused(g -> g.to("reference"), false, "output of mul", "device", "reference");
    }

    @Test
    void aConformingReplacementOrNullIsUsed() {
        Tensor w = Tensor.of(new float[] {1, 2, 3}, 3).to("cpu").requiresGrad(true);
        Tensor y = w.mul(2);
        y.registerHook(g -> g.mul(10));
        w.registerHook(g -> null);
        y.sum().backward();
        assertArrayEquals(new double[] {20, 20, 20}, w.grad().toDoubleArray());
    }
}
