package dev.jgrad.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = A·Wᵀ} for row-major A and W (a linear layer's forward), as dot products of rows: both
 * operands are read along their unit stride, so nothing is packed. For short A (a mini-batch) the
 * packed GEMM would spend as long packing Wᵀ as multiplying; here a 4×4 block of outputs keeps 16
 * vector accumulators over k and reduces them once at the end (4×2 with 16 vector registers), and
 * a last odd column is a 4×1 block: four chains where one dot product per output was one chain,
 * bound by the FMA latency (256×1024·(10×1024)ᵀ under {@code -XX:UseAVX=2}: 0.116 ms before).
 */
final class DotGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Whether the 4×4 block fits the registers (16 accumulators, 4 W vectors and an A vector: 32
     * registers). With 16 (AVX2) it spilled; 4×2 blocks (8 accumulators) are used there instead.
     */
    private static final boolean WIDE = GemmShape.REGISTERS >= 32;
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
        for (int jc = j0; jc < j1; jc += chunk) {
            int je = Math.min(j1, jc + chunk);
            int i = i0;
            for (; i + 4 <= i1; i += 4) {
                int j = jc;
                for (; WIDE && j + 4 <= je; j += 4) {
                    block4x4(k, a, ao + i * lda, lda, w, wo + j * ldw, ldw, c, co + i * ldc + j, ldc);
                }
                for (; j + 2 <= je; j += 2) {
                    block4x2(k, a, ao + i * lda, lda, w, wo + j * ldw, ldw, c, co + i * ldc + j, ldc);
                }
                if (j < je) {
                    block4x1(k, a, ao + i * lda, lda, w, wo + j * ldw, c, co + i * ldc + j, ldc);
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
                                 int ldc) {
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
        c[c0] = s00.reduceLanes(VectorOperators.ADD);
        c[c0 + 1] = s01.reduceLanes(VectorOperators.ADD);
        c[c0 + 2] = s02.reduceLanes(VectorOperators.ADD);
        c[c0 + 3] = s03.reduceLanes(VectorOperators.ADD);
        c[c0 + ldc] = s10.reduceLanes(VectorOperators.ADD);
        c[c0 + ldc + 1] = s11.reduceLanes(VectorOperators.ADD);
        c[c0 + ldc + 2] = s12.reduceLanes(VectorOperators.ADD);
        c[c0 + ldc + 3] = s13.reduceLanes(VectorOperators.ADD);
        c[c0 + 2 * ldc] = s20.reduceLanes(VectorOperators.ADD);
        c[c0 + 2 * ldc + 1] = s21.reduceLanes(VectorOperators.ADD);
        c[c0 + 2 * ldc + 2] = s22.reduceLanes(VectorOperators.ADD);
        c[c0 + 2 * ldc + 3] = s23.reduceLanes(VectorOperators.ADD);
        c[c0 + 3 * ldc] = s30.reduceLanes(VectorOperators.ADD);
        c[c0 + 3 * ldc + 1] = s31.reduceLanes(VectorOperators.ADD);
        c[c0 + 3 * ldc + 2] = s32.reduceLanes(VectorOperators.ADD);
        c[c0 + 3 * ldc + 3] = s33.reduceLanes(VectorOperators.ADD);
        for (int r = 0; r < 4; r++) {
            for (int q = 0; q < 4; q++) {
                float t = 0f;
                for (int tp = p; tp < k; tp++) {
                    t += a[a0 + r * lda + tp] * w[w0 + q * ldw + tp];
                }
                c[c0 + r * ldc + q] += t;
            }
        }
    }

    /** Four rows of A against two rows of W: 8 accumulators (see {@link #block4x4}). */
    private static void block4x2(int k, float[] a, int a0, int lda, float[] w, int w0, int ldw, float[] c, int c0,
                                 int ldc) {
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
        c[c0] = s00.reduceLanes(VectorOperators.ADD) + tail(k, p, a, a0, w, w0);
        c[c0 + 1] = s01.reduceLanes(VectorOperators.ADD) + tail(k, p, a, a0, w, w0 + ldw);
        c[c0 + ldc] = s10.reduceLanes(VectorOperators.ADD) + tail(k, p, a, a0 + lda, w, w0);
        c[c0 + ldc + 1] = s11.reduceLanes(VectorOperators.ADD) + tail(k, p, a, a0 + lda, w, w0 + ldw);
        c[c0 + 2 * ldc] = s20.reduceLanes(VectorOperators.ADD) + tail(k, p, a, a0 + 2 * lda, w, w0);
        c[c0 + 2 * ldc + 1] = s21.reduceLanes(VectorOperators.ADD) + tail(k, p, a, a0 + 2 * lda, w, w0 + ldw);
        c[c0 + 3 * ldc] = s30.reduceLanes(VectorOperators.ADD) + tail(k, p, a, a0 + 3 * lda, w, w0);
        c[c0 + 3 * ldc + 1] = s31.reduceLanes(VectorOperators.ADD) + tail(k, p, a, a0 + 3 * lda, w, w0 + ldw);
    }

    /** Four rows of A against one row of W: 4 accumulators, four chains. */
    private static void block4x1(int k, float[] a, int a0, int lda, float[] w, int w0, float[] c, int c0, int ldc) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += L) {
            FloatVector wv = FloatVector.fromArray(S, w, w0 + p);
            s0 = FloatVector.fromArray(S, a, a0 + p).fma(wv, s0);
            s1 = FloatVector.fromArray(S, a, a0 + lda + p).fma(wv, s1);
            s2 = FloatVector.fromArray(S, a, a0 + 2 * lda + p).fma(wv, s2);
            s3 = FloatVector.fromArray(S, a, a0 + 3 * lda + p).fma(wv, s3);
        }
        c[c0] = s0.reduceLanes(VectorOperators.ADD) + tail(k, p, a, a0, w, w0);
        c[c0 + ldc] = s1.reduceLanes(VectorOperators.ADD) + tail(k, p, a, a0 + lda, w, w0);
        c[c0 + 2 * ldc] = s2.reduceLanes(VectorOperators.ADD) + tail(k, p, a, a0 + 2 * lda, w, w0);
        c[c0 + 3 * ldc] = s3.reduceLanes(VectorOperators.ADD) + tail(k, p, a, a0 + 3 * lda, w, w0);
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
        float t = s.reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) {
            t += a[ao + p] * w[wo + p];
        }
        return t;
    }
}
