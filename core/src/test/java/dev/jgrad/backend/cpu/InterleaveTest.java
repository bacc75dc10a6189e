package dev.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Interleave} against its definition, on the 8×8, 6×8 and 4×8 register blocks and the tail loop; the
 * guard entries past the end stay zero (the 6-row blocks' stores overlap).
 */
class InterleaveTest {
    @ParameterizedTest(name = "{0} rows, len {1}, ld {2}, stride {3}")
    @CsvSource({"8, 0, 8, 8", "8, 7, 7, 8", "8, 8, 8, 8", "8, 19, 1024, 8", "8, 64, 70, 32", "8, 1031, 1031, 32",
        "8, 40, 2048, 16", "4, 0, 8, 4", "4, 7, 7, 4", "4, 8, 8, 4", "4, 19, 1024, 4", "4, 64, 70, 4",
        "4, 1031, 1031, 4", "4, 40, 2048, 8", "6, 0, 8, 6", "6, 7, 7, 6", "6, 8, 8, 6", "6, 9, 9, 6",
        "6, 16, 16, 6", "6, 17, 1024, 6", "6, 64, 70, 6", "6, 1031, 1031, 6", "6, 40, 2048, 8"})
    void matchesTheDefinition(int rows, int len, int ld, int stride) {
        SplittableRandom rng = new SplittableRandom(len * 31L + ld + rows);
        int off = 3, base = 5;
        float[] src = new float[off + (rows - 1) * ld + len + 1];
        double[] src64 = new double[src.length];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) rng.nextGaussian();
            src64[i] = src[i];
        }
        float[] expected = new float[base + len * stride + rows];
        double[] expected64 = new double[expected.length];
        for (int p = 0; p < len; p++) {
            for (int r = 0; r < rows; r++) {
                expected[base + p * stride + r] = src[off + r * ld + p];
                expected64[base + p * stride + r] = src[off + r * ld + p];
            }
        }
        float[] dst = new float[expected.length];
        double[] dst64 = new double[expected.length];
        if (rows == 8) {
            Interleave.rows8(src, off, ld, len, dst, base, stride);
            Interleave.rows8(src64, off, ld, len, dst64, base, stride);
        } else if (rows == 6) {
            Interleave.rows6(src, off, ld, len, dst, base, stride);
            Interleave.rows6(src64, off, ld, len, dst64, base, stride);
        } else {
            Interleave.rows4(src, off, ld, len, dst, base, stride);
            Interleave.rows4(src64, off, ld, len, dst64, base, stride);
        }
        assertArrayEquals(expected, dst);
        assertArrayEquals(expected64, dst64);
    }
}
