package dev.jgrad.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision {@code C = A·B} without packing, for products too small or too thin for
 * {@link Sgemm}'s packing to pay. C is overwritten; operands are {@link Sgemm.Operand}s (any strides).
 *
 * <p>For each group of 8 (then 4) rows and each vector-wide column block, the sums over k stay in
 * registers and C is stored once: eight rows give eight independent FMA chains, which cover the
 * FMA latency at the short depths of small layers (accumulating into C in memory instead stalls
 * on store-to-load forwarding of wide vectors). The last rows (a matrix-vector product is one)
 * take four column blocks at a time, for four chains. Column tails use masks. B is read in place
 * when its rows are contiguous; a transposed B is copied first, and so is a small B whose masked
 * loads reach past its array's end, where the Vector API checks them lane by lane (for a narrow B,
 * most of its loads).
 */
final class SgemmDirect {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Largest B (elements) copied only to spare its masked loads the lane-by-lane check. */
    private static final int COPY_LIMIT = 4096;
    /** Largest copy of B kept per thread for reuse; larger ones are temporaries. */
    private static final int SCRATCH_LIMIT = 1 << 20;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    private SgemmDirect() {
    }

    static void gemm(int m, int n, int k, Sgemm.Operand a, Sgemm.Operand b, float[] c, int co, int ldc) {
        float[] bd = b.data();
        int bo = b.off(), brs = b.rs(), width = (n + L - 1) / L * L;
        boolean overruns = bo + (long) Math.max(0, k - 1) * brs + width > bd.length;
        if (b.cs() != 1 || (overruns && k * n <= COPY_LIMIT)) {
            bd = rowMajor(b, k, n, width);
            bo = 0;
            brs = width;
        }
        int blocked = m - m % 4;
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> mask = S.indexInRange(j, n);
            int i = 0;
            for (; i + 8 <= blocked; i += 8) {
                rows8(k, a, i, bd, bo + j, brs, mask, c, co + i * ldc + j, ldc);
            }
            for (; i < blocked; i += 4) {
                rows4(k, a, i, bd, bo + j, brs, mask, c, co + i * ldc + j, ldc);
            }
        }
        for (int i = blocked; i < m; i++) {
            row(k, n, a, i, bd, bo, brs, c, co + i * ldc);
        }
    }

    private static void rows8(int k, Sgemm.Operand a, int i, float[] bd, int b0, int brs, VectorMask<Float> mask,
                              float[] c, int row, int ldc) {
        float[] ad = a.data();
        int ars = a.rs(), acs = a.cs(), a0 = a.off() + i * ars;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int p = 0; p < k; p++) {
            FloatVector bv = FloatVector.fromArray(S, bd, b0 + p * brs, mask);
            int ap = a0 + p * acs;
            c0 = FloatVector.broadcast(S, ad[ap]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, ad[ap + ars]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, ad[ap + 2 * ars]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, ad[ap + 3 * ars]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, ad[ap + 4 * ars]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, ad[ap + 5 * ars]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, ad[ap + 6 * ars]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, ad[ap + 7 * ars]).fma(bv, c7);
        }
        c0.intoArray(c, row, mask);
        c1.intoArray(c, row + ldc, mask);
        c2.intoArray(c, row + 2 * ldc, mask);
        c3.intoArray(c, row + 3 * ldc, mask);
        c4.intoArray(c, row + 4 * ldc, mask);
        c5.intoArray(c, row + 5 * ldc, mask);
        c6.intoArray(c, row + 6 * ldc, mask);
        c7.intoArray(c, row + 7 * ldc, mask);
    }

    private static void rows4(int k, Sgemm.Operand a, int i, float[] bd, int b0, int brs, VectorMask<Float> mask,
                              float[] c, int row, int ldc) {
        float[] ad = a.data();
        int ars = a.rs(), acs = a.cs(), a0 = a.off() + i * ars;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < k; p++) {
            FloatVector bv = FloatVector.fromArray(S, bd, b0 + p * brs, mask);
            int ap = a0 + p * acs;
            c0 = FloatVector.broadcast(S, ad[ap]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, ad[ap + ars]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, ad[ap + 2 * ars]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, ad[ap + 3 * ars]).fma(bv, c3);
        }
        c0.intoArray(c, row, mask);
        c1.intoArray(c, row + ldc, mask);
        c2.intoArray(c, row + 2 * ldc, mask);
        c3.intoArray(c, row + 3 * ldc, mask);
    }

    /** One row of C: four full column blocks at a time (four chains), then single masked blocks. */
    private static void row(int k, int n, Sgemm.Operand a, int i, float[] bd, int bo, int brs, float[] c, int row) {
        float[] ad = a.data();
        int a0 = a.off() + i * a.rs(), acs = a.cs();
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
            for (int p = 0; p < k; p++) {
                FloatVector av = FloatVector.broadcast(S, ad[a0 + p * acs]);
                int bp = bo + p * brs + j;
                c0 = av.fma(FloatVector.fromArray(S, bd, bp), c0);
                c1 = av.fma(FloatVector.fromArray(S, bd, bp + L), c1);
                c2 = av.fma(FloatVector.fromArray(S, bd, bp + 2 * L), c2);
                c3 = av.fma(FloatVector.fromArray(S, bd, bp + 3 * L), c3);
            }
            c0.intoArray(c, row + j);
            c1.intoArray(c, row + j + L);
            c2.intoArray(c, row + j + 2 * L);
            c3.intoArray(c, row + j + 3 * L);
        }
        for (; j < n; j += L) {
            VectorMask<Float> mask = S.indexInRange(j, n);
            FloatVector c0 = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                c0 = FloatVector.broadcast(S, ad[a0 + p * acs]).fma(FloatVector.fromArray(S, bd, bo + p * brs + j, mask),
                        c0);
            }
            c0.intoArray(c, row + j, mask);
        }
    }

    /** B copied row-major, rows {@code width} apart (a whole number of vectors). */
    private static float[] rowMajor(Sgemm.Operand b, int k, int n, int width) {
        int need = k * width;
        float[][] scratch = SCRATCH.get();
        if (scratch[0].length < need && need <= SCRATCH_LIMIT) {
            scratch[0] = new float[need];
        }
        float[] dst = scratch[0].length >= need ? scratch[0] : new float[need], src = b.data();
        int off = b.off(), rs = b.rs(), cs = b.cs();
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p++) {
                dst[p * width + j] = src[off + p * rs + j * cs];
            }
        }
        return dst;
    }
}
