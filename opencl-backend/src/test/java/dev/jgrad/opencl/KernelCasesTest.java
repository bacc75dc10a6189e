package dev.jgrad.opencl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The kernels' op switches cover every constant of the op enums, and a missing case stops the
 * program build with its name. Needs no device: the check runs on the sources before compiling.
 */
class KernelCasesTest {

    @Test
    void theShippedSourcesHaveACaseForEveryOp() {
        assertDoesNotThrow(Programs::source);
    }

    @Test
    void aDeliberatelyMissingUnaryCaseFailsTheBuild() {
        String source = Programs.source();
        String broken = source.replace("case U_GELU: return gelu_of(x);", "");
        assertTrue(broken.length() < source.length(), "the test must really remove the case");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelCases.check(broken));
        assertTrue(e.getMessage().contains("unary_op: UnaryOp.GELU"), e.getMessage());
    }

    @Test
    void missingBinaryAndReductionCasesAreAllNamed() {
        String broken = Programs.source().replace("case B_EQ:", "case B_EQ_OLD:")
                .replace("case R_MIN: case R_ARGMIN: return v < best", "case R_MIN: return v < best");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelCases.check(broken));
        assertTrue(e.getMessage().contains("binary_op: BinaryOp.EQ"), e.getMessage());
        assertTrue(e.getMessage().contains("better: ReduceOp.ARGMIN"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf("reduce_identity"), "reduce_identity still covers ARGMIN: " + e.getMessage());
    }

    @Test
    void aSourceWithoutTheDispatchFunctionIsRefused() {
        String broken = Programs.source().replace("inline T binary_op(", "inline T binary_op_renamed(");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelCases.check(broken));
        assertTrue(e.getMessage().contains("no function binary_op"), e.getMessage());
    }
}
