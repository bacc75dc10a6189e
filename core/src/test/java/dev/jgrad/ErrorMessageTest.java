package dev.jgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.NoGrad;
import dev.jgrad.nn.Losses;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every bad-input error names the op and the shapes, dtypes or devices involved. */
class ErrorMessageTest {

    private static String message(Class<? extends Throwable> type, Executable e) {
        return assertThrows(type, e).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message should mention '" + p + "': " + message);
        }
    }

    @Test
    void negativeDimInShape() {
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.zeros(2, -1)),
                "zeros", "[2, -1]", "negative", "-1");
    }

    @Test
    void dataLengthDoesNotMatchShape() {
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3)),
                "of", "5 values", "[2, 3]", "6 elements");
    }

    @Test
    void matmulInnerDimensions() {
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5))),
                "matmul: cannot multiply [2, 3] by [4, 5]: inner dimensions 3 and 4 differ");
    }

    @Test
    void dimOutOfRange() {
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).sum(2, false)),
                "sum", "dim 2", "rank 2", "-2 to 1");
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).softmax(-3)),
                "softmax", "dim -3");
    }

    @Test
    void labelsOutOfRange() {
        Tensor logits = Tensor.zeros(2, 3);
        assertMentions(message(IllegalArgumentException.class,
                () -> Losses.crossEntropy(logits, Tensor.of(new long[] {0, 3}, 2))),
                "crossEntropy", "label 3", "position 1", "3 classes", "[2, 3]");
        assertMentions(message(IllegalArgumentException.class,
                () -> Losses.crossEntropy(logits, Tensor.of(new long[] {-1, 0}, 2))), "label -1");
    }

    @Test
    void nanLabels() {
        Tensor logits = Tensor.zeros(2, 3);
        assertMentions(message(IllegalArgumentException.class,
                () -> Losses.crossEntropy(logits, Tensor.of(new float[] {Float.NaN, 1}, 2))),
                "crossEntropy", "I64", "F32", "NaN");
        assertMentions(message(IllegalArgumentException.class,
                () -> Losses.binaryCrossEntropyWithLogits(Tensor.zeros(2), Tensor.of(new float[] {0, Float.NaN}, 2))),
                "binaryCrossEntropyWithLogits", "NaN", "position 1");
    }

    @Test
    void mixedFloatDTypesAreNotPromoted() {
        assertMentions(message(IllegalArgumentException.class,
                () -> Tensor.zeros(2).add(Tensor.zeros(DType.F64, 2))), "add", "F32", "F64", "promote");
    }

    @Test
    void broadcastFailureNamesBothShapes() {
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).mul(Tensor.zeros(4))),
                "mul", "[2, 3]", "[4]", "broadcast");
    }

    @Test
    void reshapeAndViewErrors() {
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(4, 2)),
                "reshape", "[2, 3]", "6 elements", "[4, 2]");
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).transpose(0, 1).view(6)),
                "view", "not contiguous", "reshape");
    }

    @Test
    void narrowAndSelectBounds() {
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.zeros(4, 5).narrow(1, 3, 3)),
                "narrow", "start 3", "length 3", "size 5");
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.zeros(4, 5).select(0, 4)),
                "select", "index 4", "size 4");
    }

    @Test
    void indexErrors() {
        assertMentions(message(IllegalArgumentException.class,
                () -> Tensor.zeros(3, 2).indexSelect(0, Tensor.of(new long[] {0, 5}, 2))),
                "indexSelect", "5", "0 to 2");
        assertMentions(message(IllegalArgumentException.class,
                () -> Tensor.zeros(3, 2).indexSelect(0, Tensor.of(new float[] {0}, 1))), "indexSelect", "I64", "F32");
    }

    @Test
    void nonFloatForMath() {
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.arange(3).exp()),
                "exp", "floating-point", "I64", "[3]");
    }

    @Test
    void itemNeedsOneElement() {
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.zeros(2).item()), "item", "[2]");
    }

    @Test
    void backwardOnNonScalarNeedsGradOutput() {
        Tensor x = Tensor.zeros(2).requiresGrad(true);
        assertMentions(message(IllegalArgumentException.class, () -> x.exp().backward()), "backward", "[2]",
                "gradOutput");
        assertMentions(message(IllegalArgumentException.class, () -> x.exp().backward(Tensor.zeros(3))),
                "gradOutput", "[3]", "[2]");
        assertMentions(message(IllegalStateException.class, () -> Tensor.zeros(1).backward()), "does not require grad");
    }

    @Test
    void tensorsOnTwoDevicesNameBoth() {
        Tensor a = Tensor.zeros(2).to("cpu");
        Tensor b = Tensor.zeros(2).to("reference");
        assertMentions(message(IllegalArgumentException.class, () -> a.add(b)), "add", "different devices", "cpu",
                "reference");
        assertMentions(message(IllegalArgumentException.class, () -> a.matmul(b)), "matmul", "cpu", "reference");
    }

    @Test
    void unknownDevice() {
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.zeros(1).to("tpu")),
                "unknown device 'tpu'", "reference");
    }

    @Test
    void catErrors() {
        assertMentions(message(IllegalArgumentException.class,
                () -> Tensor.cat(List.of(Tensor.zeros(2, 3), Tensor.zeros(3, 3)), 1)), "cat", "[2, 3]", "[3, 3]");
    }

    @Test
    void badInPlaceLeavesTheTargetUntouched() {
        Tensor t = Tensor.of(new float[] {1, 2, 3}, 3);
        try (var g = NoGrad.enter()) {
            assertMentions(message(IllegalArgumentException.class, () -> t.addInPlace(Tensor.zeros(2, 3))),
                    "addInPlace", "[2, 3]", "[3]");
            assertThrows(IllegalArgumentException.class, () -> t.addInPlace(Tensor.zeros(DType.F64, 3)));
        }
        assertArrayEquals(new float[] {1, 2, 3}, t.toFloatArray());
        assertEquals(0, t.version());
    }

    @Test
    void clampBounds() {
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.zeros(2).clamp(1, 0)),
                "clamp", "min 1.0", "max 0.0");
    }
}
