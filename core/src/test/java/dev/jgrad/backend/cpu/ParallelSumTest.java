package dev.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sum over a whole tensor splits its blocks over the threads and adds them in order: the same
 * bits as the one-thread blocked sum, so a loss does not depend on {@code jgrad.threads}.
 */
class ParallelSumTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 4095, 4096, 4097, 131_071, 300_001, (1 << 20) + 3})
    void splitSumIsBitForBitTheSequentialOne(int n) {
        SplittableRandom rng = new SplittableRandom(n);
        float[] x = new float[n + 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 2e3 - 1e3);
        }
        assertEquals(Reductions.sum(x, 5, n), Reductions.sumInParallel(x, 5, n));
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        assertEquals(n, Reductions.sumInParallel(ones, 0, n));
    }
}
