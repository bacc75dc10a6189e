package dev.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jgrad.DType;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.View;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link MatMul#matmuls}: a linear layer's two gradient products ({@code dx = g·W},
 * {@code dW = gᵀ·x}, the transpose a strided view) computed side by side give what computing them
 * one at a time gives, bit for bit, and what a plain triple loop gives; only balanced, large,
 * single products on two threads go side by side, and no shallow one whose C spills L2.
 */
class MatMulSideBySideTest {
    @Test
    void gradientPairsMatchOneAtATimeAndTheTripleLoop() {
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            for (int[] s : new int[][] {{256, 512, 384}, {64, 128, 784}, {97, 130, 70}}) {
                check(dt, s[0], s[1], s[2]);
            }
        }
    }

    @Test
    void onlyBalancedLargeSingleProductsOnTwoThreadsGoSideBySide() {
        assumeTrue(Parallel.threads() == 2, "the side-by-side path needs exactly two threads");
        Pair big = new Pair(DType.F32, 256, 512, 384);
        assertTrue(MatMul.sideBySide(big.a, big.b, big.out));
        Pair small = new Pair(DType.F32, 16, 32, 32);
        assertFalse(MatMul.sideBySide(small.a, small.b, small.out), "too small to pay for the second thread");
        View[] unbalanced = {big.out[0], View.contiguous(buffer(DType.F32, 256 * 256, null), new int[] {256, 256})};
        View[] squareA = {big.a[0], View.contiguous(buffer(DType.F32, 256 * 512, null), new int[] {256, 512})};
        View[] squareB = {big.b[0], View.contiguous(buffer(DType.F32, 512 * 256, null), new int[] {512, 256})};
        assertFalse(MatMul.sideBySide(squareA, squareB, unbalanced), "one product twice the other's work");
        View batched = View.contiguous(buffer(DType.F32, 2 * 256 * 384, null), new int[] {2, 256, 384});
        View[] batchA = {View.contiguous(big.a[0].buffer(), new int[] {2, 128, 512}), big.a[1]};
        assertFalse(MatMul.sideBySide(batchA, big.b, new View[] {batched, big.out[1]}), "batches split their own way");
        // dW = gᵀ·x 64 deep: side by side while its C fits in L2, not once C is twice L2
        int fits = (int) Math.max(128, GemmShape.L2 / 4 / 128 / 2 / 16 * 16);
        int spills = (int) (GemmShape.L2 / 4 / 128 * 2);
        Pair shallow = new Pair(DType.F32, 64, 128, fits);
        assertTrue(MatMul.sideBySide(shallow.a, shallow.b, shallow.out), "64 deep, C within L2");
        Pair wide = new Pair(DType.F32, 64, 128, spills);
        assertFalse(MatMul.sideBySide(wide.a, wide.b, wide.out), "64 deep, C twice L2: bound by writing C");
        View[] three = {big.out[0], big.out[1], big.out[0]};
        assertFalse(MatMul.sideBySide(three, three, three), "pairs only");
    }

    private static void check(DType dt, int rows, int out, int in) {
        SplittableRandom rng = new SplittableRandom(rows * 31L + out + in);
        Pair together = new Pair(dt, rows, out, in, rng);
        MatMul.matmuls(together.a, together.b, together.out);
        View[] single = {View.contiguous(buffer(dt, rows * in, null), new int[] {rows, in}),
            View.contiguous(buffer(dt, out * in, null), new int[] {out, in})};
        for (int i = 0; i < 2; i++) {
            MatMul.matmul(together.a[i], together.b[i], single[i]);
            String what = dt + " " + rows + "x" + out + "x" + in + " product " + i;
            double[] got = values(together.out[i]), alone = values(single[i]);
            assertArrayEquals(alone, got, 0.0, what + ": side by side differs from one at a time");
            double[] want = tripleLoop(together.a[i], together.b[i]);
            double tol = (dt == DType.F32 ? 1e-5 : 1e-13) * Math.sqrt(together.a[i].shape()[1]) * 4;
            for (int e = 0; e < want.length; e++) {
                assertEquals(want[e], got[e], tol * Math.max(1, Math.abs(want[e])), what + " element " + e);
            }
        }
    }

    /** g [rows, out], W [out, in], x [rows, in]: a = {g, gᵀ}, b = {W, x}, out = {dx [rows, in], dW [out, in]}. */
    private record Pair(View[] a, View[] b, View[] out) {
        Pair(DType dt, int rows, int out, int in) {
            this(dt, rows, out, in, new SplittableRandom(1));
        }

        Pair(DType dt, int rows, int out, int in, SplittableRandom rng) {
            this(dt, rows, out, in, buffer(dt, rows * out, rng), rng);
        }

        private Pair(DType dt, int rows, int out, int in, HeapBuffer g, SplittableRandom rng) {
            this(new View[] {View.contiguous(g, new int[] {rows, out}), new View(g, 0, new int[] {out, rows}, new int[] {1, out})},
                new View[] {View.contiguous(buffer(dt, out * in, rng), new int[] {out, in}),
                    View.contiguous(buffer(dt, rows * in, rng), new int[] {rows, in})},
                new View[] {View.contiguous(buffer(dt, rows * in, null), new int[] {rows, in}),
                    View.contiguous(buffer(dt, out * in, null), new int[] {out, in})});
        }
    }

    private static HeapBuffer buffer(DType dt, int n, SplittableRandom rng) {
        HeapBuffer b = HeapBuffer.allocate(CpuBackend.INSTANCE, dt, n);
        for (int i = 0; rng != null && i < n; i++) {
            double v = rng.nextGaussian();
            if (dt == DType.F32) {
                b.f32[i] = (float) v;
            } else {
                b.f64[i] = v;
            }
        }
        return b;
    }

    private static double get(View v, int i, int j) {
        HeapBuffer h = (HeapBuffer) v.buffer();
        int at = v.offset() + i * v.strides()[0] + j * v.strides()[1];
        return h.dtype() == DType.F32 ? h.f32[at] : h.f64[at];
    }

    private static double[] values(View v) {
        int m = v.shape()[0], n = v.shape()[1];
        double[] r = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                r[i * n + j] = get(v, i, j);
            }
        }
        return r;
    }

    private static double[] tripleLoop(View a, View b) {
        int m = a.shape()[0], k = a.shape()[1], n = b.shape()[1];
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double x = get(a, i, p);
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += x * get(b, p, j);
                }
            }
        }
        return c;
    }
}
