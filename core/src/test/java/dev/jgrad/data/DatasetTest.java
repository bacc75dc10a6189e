package dev.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** TensorDataset, the default batch, Subset and randomSplit. */
class DatasetTest {

    @Test
    void tensorDatasetExamplesAndBatches() {
        TensorDataset d = DataLoaderTest.rows(6);
        assertEquals(6, d.size());
        List<Tensor> ex = d.get(4);
        assertArrayEquals(new float[] {4, 40, 400}, ex.get(0).toFloatArray());
        assertEquals(4, ex.get(1).item());
        List<Tensor> b = d.batch(new int[] {5, 0, 5});
        assertArrayEquals(new long[] {5, 0, 5}, b.get(1).toLongArray());
        assertArrayEquals(new float[] {5, 50, 500, 0, 0, 0, 5, 50, 500}, b.get(0).toFloatArray());
        String m = assertThrows(IllegalArgumentException.class, () -> d.get(6)).getMessage();
        assertTrue(m.contains("TensorDataset.get") && m.contains("6") && m.contains("0 to 5"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4))).getMessage();
        assertTrue(m.contains("[3, 2]") && m.contains("[4]"), m);
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.scalar(1)));
        assertThrows(IllegalArgumentException.class, TensorDataset::new);
    }

    @Test
    void defaultBatchStacksExamples() {
        Dataset squares = new Dataset() {
            @Override
            public int size() {
                return 4;
            }

            @Override
            public List<Tensor> get(int i) {
                return List.of(Tensor.of(new float[] {i, i * i}, 2), Tensor.of(new long[] {i}, 1).squeeze());
            }
        };
        List<Tensor> b = squares.batch(new int[] {3, 1});
        assertArrayEquals(new int[] {2, 2}, b.get(0).shape());
        assertArrayEquals(new float[] {3, 9, 1, 1}, b.get(0).toFloatArray());
        assertArrayEquals(new long[] {3, 1}, b.get(1).toLongArray());
    }

    @Test
    void subsetsAndRandomSplit() {
        TensorDataset d = DataLoaderTest.rows(11);
        Subset s = new Subset(d, new int[] {7, 2});
        assertEquals(2, s.size());
        assertArrayEquals(new long[] {2, 7}, s.batch(new int[] {1, 0}).get(1).toLongArray());
        assertEquals(7, s.get(0).get(1).item());
        assertThrows(IllegalArgumentException.class, () -> new Subset(d, new int[] {11}));
        List<Subset> parts = Subset.randomSplit(d, new double[] {0.7, 0.2, 0.1}, new SplittableRandom(5));
        assertEquals(List.of(8, 2, 1), parts.stream().map(Subset::size).toList());
        int[] all = parts.stream().flatMapToInt(p -> Arrays.stream(p.indices())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 11).toArray(), all, "disjoint and complete");
        List<Subset> again = Subset.randomSplit(d, new double[] {0.7, 0.2, 0.1}, new SplittableRandom(5));
        assertArrayEquals(parts.get(0).indices(), again.get(0).indices(), "same seed, same split");
        String m = assertThrows(IllegalArgumentException.class,
                () -> Subset.randomSplit(d, new double[] {0.5, 0.2}, new SplittableRandom(1))).getMessage();
        assertTrue(m.contains("randomSplit") && m.contains("sum to 1"), m);
        assertThrows(IllegalArgumentException.class,
                () -> Subset.randomSplit(d, new double[] {1.5, -0.5}, new SplittableRandom(1)));
        DataLoader l = new DataLoader(parts.get(0), 3, true, false, new SplittableRandom(2));
        int seen = 0;
        for (List<Tensor> b : l) {
            seen += b.get(1).numel();
        }
        assertEquals(8, seen);
    }
}
