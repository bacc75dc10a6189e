package dev.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
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

    /**
     * The first calls run interpreted (or C1-compiled), the later ones C2-compiled; every one gives the
     * bits of the documented order, modelled here in scalar code: two vector accumulators, their lanes
     * added, folded in halves ({@link LaneSum}), the tail added in double. With the lanes summed by
     * {@code reduceLanes(ADD)}, whose order is unspecified, one CI run saw {@link #splitSumIsBitForBitTheSequentialOne}
     * fail by 2⁻⁹ (one float ulp of the lane sum) on 4095 floats; this pins the order that replaced it.
     */
    @Test
    void sumHasTheDocumentedBitsBeforeAndAfterTheJitCompilesIt() {
        SplittableRandom rng = new SplittableRandom(4095);
        float[] x = new float[4095];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 2e3 - 1e3);
        }
        double want = model(x);
        for (int call = 0; call < 20_000; call++) {
            double got = Reductions.sum(x, 0, x.length);
            if (Double.doubleToLongBits(got) != Double.doubleToLongBits(want)) {
                assertEquals(want, got, "call " + call);
            }
        }
    }

    /** One block of Reductions.sum in scalar code, in its order. */
    private static double model(float[] x) {
        int l = LaneSum.S.length(), i = 0;
        float[] v = new float[l], w = new float[l];
        for (; i + 2 * l <= x.length; i += 2 * l) {
            for (int j = 0; j < l; j++) {
                v[j] += x[i + j];
                w[j] += x[i + l + j];
            }
        }
        for (int j = 0; j < l; j++) {
            v[j] += w[j];
        }
        for (int h = l / 2; h >= 1; h /= 2) {
            float[] next = new float[l];
            for (int j = 0; j < l; j++) {
                next[j] = v[j] + v[j ^ h];
            }
            v = next;
        }
        double sum = v[0];
        for (; i < x.length; i++) {
            sum += x[i];
        }
        return sum;
    }
}
