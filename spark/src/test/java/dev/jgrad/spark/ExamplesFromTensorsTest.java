package dev.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import dev.jgrad.data.TensorDataset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Examples#fromTensors}: a local data set as examples, without Spark. */
class ExamplesFromTensorsTest {
    @Test
    void eachExampleHoldsItsFlattenedRowAndLabel() {
        Tensor x = Tensor.arange(0, 12, 1).reshape(3, 2, 2);
        Tensor y = Tensor.of(new long[] {2, 0, 1}, 3);
        List<Example> ex = Examples.fromTensors(new TensorDataset(x, y));
        assertEquals(3, ex.size());
        assertArrayEquals(new float[] {4, 5, 6, 7}, ex.get(1).features());
        assertEquals(0, ex.get(1).label());
        assertEquals(1, ex.get(2).label());
    }

    @Test
    void labelsMustBeOneI64Tensor() {
        TensorDataset floatLabels = new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Examples.fromTensors(floatLabels));
        assertTrue(e.getMessage().contains("I64") && e.getMessage().contains("F32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Examples.fromTensors(new TensorDataset(Tensor.zeros(3, 2))));
    }
}
