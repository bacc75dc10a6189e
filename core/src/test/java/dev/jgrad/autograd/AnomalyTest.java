package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Anomaly mode: the first non-finite op is reported with the user's class and line, in forward and backward. */
class AnomalyTest {
    /** The line of the statement after the call, so the test needs no hard-coded line numbers. */
    private static int nextLine() {
        return new Throwable().getStackTrace()[1].getLineNumber() + 1;
    }

    private static int logLine;
    private static int sqrtLine;

    /** A user model: the bad op sits three calls deep. */
    private static final class Model {
        Tensor forward(Tensor x) {
            return head(hidden(x));
        }

        Tensor hidden(Tensor x) {
            return x.mul(2).sub(1);
        }

        Tensor head(Tensor h) {
            logLine = nextLine();
            return h.log().sum();
        }

        Tensor safe(Tensor x) {
            sqrtLine = nextLine();
            return x.sqrt().sum();
        }
    }

    @Test
    void logOfANegativeValueDeepInUserCodeNamesThatLine() {
        Tensor x = Tensor.of(new double[] {1, 2, 0.25, 3}, 4).requiresGrad(true);
        Anomaly.NonFiniteException e;
        try (var a = Anomaly.detect()) {
            e = assertThrows(Anomaly.NonFiniteException.class, () -> new Model().forward(x));
        }
        String where = "AnomalyTest$Model.head(AnomalyTest.java:" + logLine + ")";
        assertEquals("log", e.op());
        assertEquals("forward", e.phase());
        assertTrue(e.callSite().endsWith(where), e.callSite());
        assertTrue(e.getMessage().startsWith("log (forward) produced NaN at flat index 2 of its F64 [4] output"),
                e.getMessage());
        assertTrue(e.getMessage().contains("inputs: F64 [4]") && e.getMessage().contains(where), e.getMessage());
    }

    @Test
    void aGradientThatTurnsInfiniteNamesTheOpAndItsForwardCallSite() {
        // sqrt(0) = 0 is finite, but its gradient 1 / (2 sqrt(0)) is not.
        Tensor x = Tensor.of(new double[] {4, 0, 1}, 3).requiresGrad(true);
        Anomaly.NonFiniteException e;
        try (var a = Anomaly.detect()) {
            Tensor loss = new Model().safe(x);
            e = assertThrows(Anomaly.NonFiniteException.class, loss::backward);
        }
        assertEquals("sqrt", e.op());
        assertEquals("backward", e.phase());
        assertTrue(e.callSite().endsWith("AnomalyTest$Model.safe(AnomalyTest.java:" + sqrtLine + ")"), e.callSite());
        assertTrue(e.getMessage().startsWith("sqrt (backward) produced +Inf at flat index 1 of the gradient for its"
                + " input 0, F64 [3]"), e.getMessage());
        assertNull(x.grad(), "the pass stopped before reaching the leaf");
    }

    @Test
    void offByDefaultNonFiniteValuesPassSilently() {
        assertFalse(Anomaly.isEnabled());
        Tensor x = Tensor.of(new double[] {-1}, 1).requiresGrad(true);
        Tensor y = x.log();
        assertTrue(Double.isNaN(y.item()));
        assertNull(y.gradFn().callSite(), "no stack walk when off");
        y.sum().backward();
        assertEquals(-1.0, x.grad().item());
    }

    @Test
    void aBackwardOutsideTheModeOfAGraphRecordedInsideIsNotChecked() {
        Tensor x = Tensor.of(new double[] {0}, 1).requiresGrad(true);
        Tensor y;
        try (var a = Anomaly.detect()) {
            y = x.sqrt().sum();
            assertTrue(y.gradFn().nextFunctions().get(0).callSite().contains("AnomalyTest.java"));
        }
        y.backward();
        assertEquals(Double.POSITIVE_INFINITY, x.grad().item());
    }

    @Test
    void scopesNestAndAreThreadLocal() throws InterruptedException {
        try (var outer = Anomaly.detect()) {
            try (var inner = Anomaly.detect()) {
                assertTrue(Anomaly.isEnabled());
            }
            assertTrue(Anomaly.isEnabled(), "closing the inner scope restores the outer one");
            AtomicBoolean other = new AtomicBoolean(true);
            Thread t = new Thread(() -> other.set(Anomaly.isEnabled()));
            t.start();
            t.join();
            assertFalse(other.get(), "another thread is not affected");
            outer.close();
            outer.close();
            assertFalse(Anomaly.isEnabled(), "close is idempotent");
        }
        assertFalse(Anomaly.isEnabled());
    }

    @Test
    void createGraphBackwardAndIntegerResultsAreHandled() {
        Tensor x = Tensor.of(new double[] {0.5, 2}, 2).requiresGrad(true);
        try (var a = Anomaly.detect()) {
            Tensor g = Autograd.grad(x.log().sum(), java.util.List.of(x), null, true).get(0);
            assertEquals(2.0, g.toDoubleArray()[0]);
            assertEquals(1.0, x.argmax(0).item(), "an I64 result is not checked");
            Tensor f32 = Tensor.of(new float[] {Float.MAX_VALUE}, 1).to(DType.F32);
            var e = assertThrows(Anomaly.NonFiniteException.class, () -> f32.mul(2));
            assertTrue(e.getMessage().startsWith("mulScalar (forward) produced +Inf"), e.getMessage());
        }
    }
}
