package dev.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link GemmShape#choose}: the kernel by register count, its override, and the blocking's invariants. */
class GemmShapeTest {
    /** The JVM's own shape is fixed before any test sets the override, so the other tests keep it. */
    @BeforeAll
    static void initialiseTheShapeInUse() {
        assertTrue(GemmShape.F32.mr() > 0 && GemmShape.F64.mr() > 0);
    }

    @AfterEach
    void clearOverride() {
        System.clearProperty("jgrad.gemm.kernel");
    }

    @Test
    void theKernelFollowsTheRegisterFile() {
        GemmShape s = GemmShape.choose(8, Float.BYTES);
        assertEquals(GemmShape.REGISTERS >= 32 ? 8 : 6, s.mr(), s.describe());
        assertEquals(16, s.nr());
    }

    @Test
    void eachKernelCanBeRequestedAndTheBlocksStayWhole() {
        for (String k : new String[] {"8x2", "6x2", "4x2"}) {
            System.setProperty("jgrad.gemm.kernel", k);
            GemmShape s = GemmShape.choose(8, Float.BYTES);
            assertEquals(k.charAt(0) - '0', s.mr(), k);
            assertEquals(0, s.mc() % s.mr(), s.describe());
            assertEquals(0, s.nc() % s.nr(), s.describe());
            assertTrue(s.kc() >= 64 && s.kc() % 8 == 0, s.describe());
        }
    }

    @Test
    void anUnknownKernelIsRefusedByName() {
        System.setProperty("jgrad.gemm.kernel", "5x2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmShape.choose(8, 4));
        assertTrue(e.getMessage().contains("8x2, 6x2 or 4x2") && e.getMessage().contains("'5x2'"), e.getMessage());
    }
}
