package dev.jgrad.backend.cpu;

import static dev.jgrad.backend.cpu.LaneSum.HALF;
import static dev.jgrad.backend.cpu.LaneSum.QUARTER;
import static dev.jgrad.backend.cpu.LaneSum.X1;
import static dev.jgrad.backend.cpu.LaneSum.X2;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = A·Wᵀ} for row-major A and W (a linear layer's forward), as dot products of rows: both
 * operands are read along their unit stride, so nothing is packed. For short A (a mini-batch) the
 * packed GEMM would spend as long packing Wᵀ as multiplying; here a 4×4 block of outputs keeps 16
 * vector accumulators over k and reduces them once at the end (4×2 with 16 vector registers), and
 * a last odd column is a 4×1 block: four chains where one dot product per output was one chain,
 * bound by the FMA latency (256×1024·(10×1024)ᵀ under {@code -XX:UseAVX=2}: 0.116 ms before).
 * The accumulators' lanes are summed by lanewise folds in a fixed order ({@link #fold4}), so C's
 * bits do not depend on whether C2 has compiled the block yet.
 */
final class DotGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Whether the 4×4 block fits the registers (16 accumulators, 4 W vectors and an A vector: 32
     * registers). With 16 (AVX2) it spilled; 4×2 blocks (8 accumulators) are used there instead.
     */
    private static final boolean WIDE = GemmShape.REGISTERS >= 32;
    /** The upper half of the lanes, and the second quarter of each half. */
    private static final VectorMask<Float> UPPER = lanes(L / 2), ODD_QUARTERS = lanes(L / 4);
    /** Floats of W to keep in L2 at a time (256 KiB). */
    private static final int L2_FLOATS = 64 * 1024;

    private DotGemm() {
    }

    /**
     * Rows {@code [i0, i1)} and columns {@code [j0, j1)} of {@code C[i, j] = sum_p A[i, p] W[j, p]}.
     *
     * @param a  A's data, row i at {@code ao + i*lda}
     * @param w  W's data, row j at {@code wo + j*ldw}
     * @param c  C's data, row-major with leading dimension {@code ldc}
     */
    static void gemm(int i0, int i1, int j0, int j1, int k, float[] a, int ao, int lda, float[] w, int wo, int ldw,
                     float[] c, int co, int ldc) {
        // W is swept in chunks that stay in L2 while every row block of A passes over them.
        int chunk = Math.max(4, (L2_FLOATS / Math.max(k, 1)) / 4 * 4);
        float[] lanes = new float[16 * L];
        for (int jc = j0; jc < j1; jc += chunk) {
            int je = Math.min(j1, jc + chunk);
            int i = i0;
            for (; i + 4 <= i1; i += 4) {
                int j = jc;
                for (; WIDE && j + 4 <= je; j += 4) {
                    block4x4(k, a, ao + i * lda, lda, w, wo + j * ldw, ldw, c, co + i * ldc + j, ldc, lanes);
                }
                for (; j + 2 <= je; j += 2) {
                    block4x2(k, a, ao + i * lda, lda, w, wo + j * ldw, ldw, c, co + i * ldc + j, ldc, lanes);
                }
                if (j < je) {
                    block4x1(k, a, ao + i * lda, lda, w, wo + j * ldw, c, co + i * ldc + j, ldc, lanes);
                }
            }
            for (; i < i1; i++) {
                for (int j = jc; j < je; j++) {
                    c[co + i * ldc + j] = dot(k, a, ao + i * lda, w, wo + j * ldw);
                }
            }
        }
    }

    private static void block4x4(int k, float[] a, int a0, int lda, float[] w, int w0, int ldw, float[] c, int c0,
                                 int ldc, float[] lanes) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += L) {
            FloatVector w0v = FloatVector.fromArray(S, w, w0 + p);
            FloatVector w1v = FloatVector.fromArray(S, w, w0 + ldw + p);
            FloatVector w2v = FloatVector.fromArray(S, w, w0 + 2 * ldw + p);
            FloatVector w3v = FloatVector.fromArray(S, w, w0 + 3 * ldw + p);
            FloatVector av = FloatVector.fromArray(S, a, a0 + p);
            s00 = av.fma(w0v, s00);
            s01 = av.fma(w1v, s01);
            s02 = av.fma(w2v, s02);
            s03 = av.fma(w3v, s03);
            av = FloatVector.fromArray(S, a, a0 + lda + p);
            s10 = av.fma(w0v, s10);
            s11 = av.fma(w1v, s11);
            s12 = av.fma(w2v, s12);
            s13 = av.fma(w3v, s13);
            av = FloatVector.fromArray(S, a, a0 + 2 * lda + p);
            s20 = av.fma(w0v, s20);
            s21 = av.fma(w1v, s21);
            s22 = av.fma(w2v, s22);
            s23 = av.fma(w3v, s23);
            av = FloatVector.fromArray(S, a, a0 + 3 * lda + p);
            s30 = av.fma(w0v, s30);
            s31 = av.fma(w1v, s31);
            s32 = av.fma(w2v, s32);
            s33 = av.fma(w3v, s33);
        }
        s00.intoArray(lanes, 0);
        s01.intoArray(lanes, L);
        s02.intoArray(lanes, 2 * L);
        s03.intoArray(lanes, 3 * L);
        s10.intoArray(lanes, 4 * L);
        s11.intoArray(lanes, 5 * L);
        s12.intoArray(lanes, 6 * L);
        s13.intoArray(lanes, 7 * L);
        s20.intoArray(lanes, 8 * L);
        s21.intoArray(lanes, 9 * L);
        s22.intoArray(lanes, 10 * L);
        s23.intoArray(lanes, 11 * L);
        s30.intoArray(lanes, 12 * L);
        s31.intoArray(lanes, 13 * L);
        s32.intoArray(lanes, 14 * L);
        s33.intoArray(lanes, 15 * L);
        for (int r = 0; r < 4; r++) {
            int o = c0 + r * ldc;
            fold4(lanes, 4 * r * L, c, o, o + 1, o + 2, o + 3);
        }
        for (int r = 0; r < 4; r++) {
            for (int q = 0; q < 4; q++) {
                c[c0 + r * ldc + q] += tail(k, p, a, a0 + r * lda, w, w0 + q * ldw);
            }
        }
    }

    /** Four rows of A against two rows of W: 8 accumulators (see {@link #block4x4}). */
    private static void block4x2(int k, float[] a, int a0, int lda, float[] w, int w0, int ldw, float[] c, int c0,
                                 int ldc, float[] lanes) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
        FloatVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += L) {
            FloatVector w0v = FloatVector.fromArray(S, w, w0 + p);
            FloatVector w1v = FloatVector.fromArray(S, w, w0 + ldw + p);
            FloatVector av = FloatVector.fromArray(S, a, a0 + p);
            s00 = av.fma(w0v, s00);
            s01 = av.fma(w1v, s01);
            av = FloatVector.fromArray(S, a, a0 + lda + p);
            s10 = av.fma(w0v, s10);
            s11 = av.fma(w1v, s11);
            av = FloatVector.fromArray(S, a, a0 + 2 * lda + p);
            s20 = av.fma(w0v, s20);
            s21 = av.fma(w1v, s21);
            av = FloatVector.fromArray(S, a, a0 + 3 * lda + p);
            s30 = av.fma(w0v, s30);
            s31 = av.fma(w1v, s31);
        }
        s00.intoArray(lanes, 0);
        s01.intoArray(lanes, L);
        s10.intoArray(lanes, 2 * L);
        s11.intoArray(lanes, 3 * L);
        s20.intoArray(lanes, 4 * L);
        s21.intoArray(lanes, 5 * L);
        s30.intoArray(lanes, 6 * L);
        s31.intoArray(lanes, 7 * L);
        fold4(lanes, 0, c, c0, c0 + 1, c0 + ldc, c0 + ldc + 1);
        fold4(lanes, 4 * L, c, c0 + 2 * ldc, c0 + 2 * ldc + 1, c0 + 3 * ldc, c0 + 3 * ldc + 1);
        for (int r = 0; r < 4; r++) {
            c[c0 + r * ldc] += tail(k, p, a, a0 + r * lda, w, w0);
            c[c0 + r * ldc + 1] += tail(k, p, a, a0 + r * lda, w, w0 + ldw);
        }
    }

    /** Four rows of A against one row of W: 4 accumulators, four chains. */
    private static void block4x1(int k, float[] a, int a0, int lda, float[] w, int w0, float[] c, int c0, int ldc,
                                 float[] lanes) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += L) {
            FloatVector wv = FloatVector.fromArray(S, w, w0 + p);
            s0 = FloatVector.fromArray(S, a, a0 + p).fma(wv, s0);
            s1 = FloatVector.fromArray(S, a, a0 + lda + p).fma(wv, s1);
            s2 = FloatVector.fromArray(S, a, a0 + 2 * lda + p).fma(wv, s2);
            s3 = FloatVector.fromArray(S, a, a0 + 3 * lda + p).fma(wv, s3);
        }
        s0.intoArray(lanes, 0);
        s1.intoArray(lanes, L);
        s2.intoArray(lanes, 2 * L);
        s3.intoArray(lanes, 3 * L);
        fold4(lanes, 0, c, c0, c0 + ldc, c0 + 2 * ldc, c0 + 3 * ldc);
        for (int r = 0; r < 4; r++) {
            c[c0 + r * ldc] += tail(k, p, a, a0 + r * lda, w, w0);
        }
    }

    /** {@code sum_{t in [p, k)} a[ao + t] * w[wo + t]}: the depth left after the whole vectors. */
    private static float tail(int k, int p, float[] a, int ao, float[] w, int wo) {
        float t = 0f;
        for (; p < k; p++) {
            t += a[ao + p] * w[wo + p];
        }
        return t;
    }

    private static float dot(int k, float[] a, int ao, float[] w, int wo) {
        FloatVector s = FloatVector.zero(S);
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += L) {
            s = FloatVector.fromArray(S, a, ao + p).fma(FloatVector.fromArray(S, w, wo + p), s);
        }
        float t = LaneSum.of(s);
        for (; p < k; p++) {
            t += a[ao + p] * w[wo + p];
        }
        return t;
    }

    /** The lanes whose index has bit {@code bit} set. */
    private static VectorMask<Float> lanes(int bit) {
        boolean[] m = new boolean[L];
        for (int i = 0; i < L; i++) {
            m[i] = (i & bit) != 0;
        }
        return VectorMask.fromArray(S, m, 0);
    }

    /**
     * The lane sums of the four vectors at {@code lanes[base]}, {@code + L}, {@code + 2L}, {@code + 3L}
     * (a, b, c, d), folded together as {@link LaneSum#of} folds one: a's and b's halves added into one
     * vector (a in the lower half, b in the upper), c's and d's into another, their quarters into
     * one (a, c, b, d a quarter each), then each quarter folded. Stores them at {@code out[oa]},
     * {@code out[ob]}, {@code out[oc]}, {@code out[od]}. The blocks hand their accumulators over
     * through {@code lanes} rather than as arguments: where C2 did not inline a call taking vectors
     * (it did not, in a 4×4 block with AVX-512), it boxed them, at 1/8 of the speed.
     */
    private static void fold4(float[] lanes, int base, float[] out, int oa, int ob, int oc, int od) {
        FloatVector a = FloatVector.fromArray(S, lanes, base), b = FloatVector.fromArray(S, lanes, base + L);
        FloatVector c = FloatVector.fromArray(S, lanes, base + 2 * L), d = FloatVector.fromArray(S, lanes, base + 3 * L);
        FloatVector ab = a.blend(b, UPPER).add(b.blend(a, UPPER).rearrange(HALF));
        FloatVector cd = c.blend(d, UPPER).add(d.blend(c, UPPER).rearrange(HALF));
        FloatVector v = ab.blend(cd, ODD_QUARTERS).add(cd.blend(ab, ODD_QUARTERS).rearrange(QUARTER));
        // each quarter folded into its first lane, written out: C2 boxed the vector passed to a helper
        if (L >= 16) {
            v = v.add(v.rearrange(X2));
        }
        if (L >= 8) {
            v = v.add(v.rearrange(X1));
        }
        v.intoArray(lanes, base);
        out[oa] = lanes[base];
        out[oc] = lanes[base + L / 4];
        out[ob] = lanes[base + L / 2];
        out[od] = lanes[base + 3 * L / 4];
    }
}
