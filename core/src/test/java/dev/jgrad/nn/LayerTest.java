package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Dropout statistics, default initialisation and bad-input messages of the layers. */
class LayerTest {

    static void rejects(Executable e, String... parts) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) {
            assertTrue(ex.getMessage().contains(p), "'" + ex.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void dropoutStatistics() {
        int n = 200_000;
        double p = 0.3;
        Tensor x = Tensor.ones(n);
        double[] y = new Dropout(p, new SplittableRandom(11)).forward(x).toDoubleArray();
        int zeros = 0;
        for (double v : y) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / (1 - p), v, 1e-6);
            }
        }
        double sigma = Math.sqrt(n * p * (1 - p));
        assertEquals(n * p, zeros, 5 * sigma, "zero count");
        assertArrayEquals(new Dropout(p, new SplittableRandom(4)).forward(x).toFloatArray(),
                new Dropout(p, new SplittableRandom(4)).forward(x).toFloatArray(), "same seed, same mask");
        Dropout d = new Dropout(p);
        d.eval();
        assertSame(x, d.forward(x));
        assertEquals(0, Functional.dropout(x, 1, true, new SplittableRandom(1)).sum().item());
        rejects(() -> new Dropout(1.5), "Dropout", "[0, 1]", "1.5");
        rejects(() -> Functional.dropout(x, -0.1, true, new SplittableRandom(1)), "dropout", "-0.1");
    }

    @Test
    void defaultInitialisation() {
        Tensor.manualSeed(5);
        double[] e = new Embedding(1000, 50).weight().toDoubleArray();
        double mean = 0, sq = 0;
        for (double v : e) {
            mean += v;
            sq += v * v;
        }
        mean /= e.length;
        assertEquals(0, mean, 0.02);
        assertEquals(1, Math.sqrt(sq / e.length - mean * mean), 0.02);
        BatchNorm2d bn = new BatchNorm2d(3);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(bn.stateDict().keySet()));
        assertArrayEquals(new float[] {1, 1, 1}, bn.namedParameters().get("weight").toFloatArray());
        assertArrayEquals(new int[0], bn.namedBuffers().get("num_batches_tracked").shape());
        assertEquals(DType.I64, bn.namedBuffers().get("num_batches_tracked").dtype());
        Tensor w = Tensor.zeros(64, 16, 3, 3);
        Init.kaimingNormal(w, 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, new SplittableRandom(2));
        double s = 0;
        for (double v : w.toDoubleArray()) {
            s += v * v;
        }
        assertEquals(Math.sqrt(2.0 / (64 * 9)), Math.sqrt(s / w.numel()), 0.002);
        Tensor u = Tensor.zeros(30, 20);
        Init.xavierUniform(u, 1, new SplittableRandom(3));
        double bound = Math.sqrt(6.0 / 50);
        for (double v : u.toDoubleArray()) {
            assertTrue(Math.abs(v) <= bound);
        }
        rejects(() -> Init.xavierUniform(Tensor.zeros(5)), "xavierUniform", "at least 2 dims", "[5]");
    }

    @Test
    void badInputsNameLayerAndShapes() {
        rejects(() -> new BatchNorm2d(3).forward(Tensor.zeros(2, 3, 4)), "BatchNorm2d(3)", "[4]", "[2, 3, 4]");
        rejects(() -> new BatchNorm2d(3).forward(Tensor.zeros(2, 4, 2, 2)), "BatchNorm2d(3)", "3 channels",
                "[2, 4, 2, 2]");
        rejects(() -> new BatchNorm1d(3).forward(Tensor.zeros(1, 3)), "more than 1 value per channel", "[1, 3]");
        rejects(() -> new LayerNorm(4, 5).forward(Tensor.zeros(2, 5, 4)), "LayerNorm([4, 5])", "[2, 5, 4]");
        Embedding emb = new Embedding(5, 2);
        rejects(() -> emb.forward(Tensor.of(new float[] {1, 2}, 2)), "Embedding(5, 2)", "I64", "F32", "[2]");
        rejects(() -> emb.forward(Tensor.of(new long[] {1, 5}, 2)), "Embedding(5, 2)", "index 5", "[5, 2]", "0 to 4");
        rejects(() -> emb.forward(Tensor.of(new long[] {-1}, 1)), "index -1");
        assertArrayEquals(new int[] {2, 3, 2}, emb.forward(Tensor.of(new long[] {0, 1, 2, 3, 4, 0}, 2, 3)).shape());
        rejects(() -> new Linear(3, 2).forward(Tensor.zeros(4, 2)), "Linear(3, 2)", "[4, 2]");
    }

    @Test
    void batchNormEvalUsesRunningStatistics() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Tensor x = Tensor.of(new float[] {1, 10, 3, 20, 5, 30}, 3, 2);
        bn.forward(x);
        assertArrayEquals(new float[] {0.3f, 2f}, bn.namedBuffers().get("running_mean").toFloatArray(), 1e-6f);
        // unbiased variances 4 and 100: 0.9 * 1 + 0.1 * var
        assertArrayEquals(new float[] {1.3f, 10.9f}, bn.namedBuffers().get("running_var").toFloatArray(), 1e-5f);
        assertEquals(1, bn.namedBuffers().get("num_batches_tracked").item());
        bn.eval();
        Tensor y = bn.forward(Tensor.of(new float[] {0.3f, 2f}, 1, 2));
        assertArrayEquals(new float[] {0, 0}, y.toFloatArray(), 1e-6f);
        assertEquals(1, bn.namedBuffers().get("num_batches_tracked").item());
    }
}
