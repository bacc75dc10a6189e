package dev.jgrad.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Interleaves 8 (or 6 or 4) rows of a row-major matrix column by column: {@code dst[base + p*stride + r] =
 * src[off + r*ld + p]} for {@code r < 8, p < len}. This is the transposition GEMM packing does for
 * a row-major A (8-, 6- or 4-row slivers) and for a transposed B (each 8 of a sliver's columns are 8 rows of
 * the untransposed matrix). Element by element it reads one value per cache line from 8 rows that,
 * for power-of-two leading dimensions, share cache sets; here each 8×8 block is loaded as 8
 * vectors and transposed in registers by three rounds of two-vector permutes.
 *
 * <p>With AVX-512 each round's step is one two-table permute. With 256-bit vectors only (AVX2)
 * the two-table permute is not compiled to one instruction, so each step is a one-vector lane
 * shift and a blend ({@link #swapBlocks}); under {@code -XX:UseAVX=2} this made a transposed B's
 * packing (64×784·(128×784)ᵀ) ~3× faster than the element loop. Narrower units use the loop.
 */
final class Interleave {
    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;
    private static final boolean VECTOR = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
    private static final boolean SWAP = !VECTOR && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    /** Lane j takes lane j - d (UP) or j + d (DOWN), for d = 1, 2, 4; M marks the lanes with bit d set. */
    private static final VectorShuffle<Float> UP1 = shift(-1), UP2 = shift(-2), UP4 = shift(-4);
    private static final VectorShuffle<Float> DOWN1 = shift(1), DOWN2 = shift(2), DOWN4 = shift(4);
    private static final VectorMask<Float> M1 = bit(1), M2 = bit(2), M4 = bit(4);
    // Lane selectors into the concatenation (first, second) of two 8-lane vectors: zip the low or
    // high halves in units of 1, 2 and 4 lanes.
    private static final FloatVector LO1 = lanes(0, 8, 1, 9, 2, 10, 3, 11);
    private static final FloatVector HI1 = lanes(4, 12, 5, 13, 6, 14, 7, 15);
    private static final FloatVector LO2 = lanes(0, 1, 8, 9, 2, 3, 10, 11);
    private static final FloatVector HI2 = lanes(4, 5, 12, 13, 6, 7, 14, 15);
    private static final FloatVector LO4 = lanes(0, 1, 2, 3, 8, 9, 10, 11);
    private static final FloatVector HI4 = lanes(4, 5, 6, 7, 12, 13, 14, 15);

    private Interleave() {
    }

    private static VectorShuffle<Float> shift(int d) {
        return VectorShuffle.fromOp(S8, j -> (j + d) & 7);
    }

    private static VectorMask<Float> bit(int d) {
        boolean[] m = new boolean[8];
        for (int j = 0; j < 8; j++) {
            m[j] = (j & d) != 0;
        }
        return VectorMask.fromArray(S8, m, 0);
    }

    private static FloatVector lanes(float... v) {
        return FloatVector.fromArray(S8, v, 0);
    }

    /** See the class comment; {@code src} rows are {@code ld} apart. */
    static void rows8(float[] src, int off, int ld, int len, float[] dst, int base, int stride) {
        int p = VECTOR ? blocks(src, off, ld, len, dst, base, stride, 8)
                : SWAP ? swapBlocks(src, off, ld, len, dst, base, stride, 8) : 0;
        elements(src, off, ld, p, len, dst, base, stride, 8);
    }

    /**
     * The 4-row form, for the 4-row kernel's A slivers: {@code dst[base + p*stride + r] =
     * src[off + r*ld + p]} for {@code r < 4, p < len}. With 256-bit vectors and {@code stride} 4
     * (the slivers are contiguous), each 4×8 block is transposed in registers ({@link #swapBlock4}):
     * under {@code -XX:UseAVX=2} packing the A of 64×784·784×128 took 4.7 µs against 9.8 µs for the
     * element loop (7% of the product).
     */
    static void rows4(float[] src, int off, int ld, int len, float[] dst, int base, int stride) {
        int p = 0;
        if ((VECTOR || SWAP) && stride == 4) {
            for (; p + 8 <= len; p += 8) {
                swapBlock4(src, off + p, ld, dst, base + p * 4);
            }
        }
        elements(src, off, ld, p, len, dst, base, stride, 4);
    }

    /**
     * The 6-row form, for the 6-row kernel's depth-major A slivers: {@code dst[base + p*stride + r] =
     * src[off + r*ld + p]} for {@code r < 6, p < len}. With {@code stride} 6 each 6×8 block is
     * transposed as an 8×8 block whose last two rows repeat row 5; its 8-value stores overlap, each
     * writing two values past its column that the next store (after a block's last, the next block
     * or the element loop) overwrites, so a block is taken only while columns remain after it.
     */
    static void rows6(float[] src, int off, int ld, int len, float[] dst, int base, int stride) {
        int p = stride != 6 ? 0 : VECTOR ? blocks(src, off, ld, len, dst, base, 6, 6)
                : SWAP ? swapBlocks(src, off, ld, len, dst, base, 6, 6) : 0;
        elements(src, off, ld, p, len, dst, base, stride, 6);
    }

    /** The F64 twin of {@link #rows6(float[], int, int, int, float[], int, int)}, as a plain loop. */
    static void rows6(double[] src, int off, int ld, int len, double[] dst, int base, int stride) {
        elements(src, off, ld, 0, len, dst, base, stride, 6);
    }

    /** The F64 twin of {@link #rows4(float[], int, int, int, float[], int, int)}, as a plain loop. */
    static void rows4(double[] src, int off, int ld, int len, double[] dst, int base, int stride) {
        elements(src, off, ld, 0, len, dst, base, stride, 4);
    }

    /** The F64 twin of {@link #rows8(float[], int, int, int, float[], int, int)}, as a plain loop. */
    static void rows8(double[] src, int off, int ld, int len, double[] dst, int base, int stride) {
        elements(src, off, ld, 0, len, dst, base, stride, 8);
    }

    /** The F64 {@link #elements(float[], int, int, int, int, float[], int, int, int)}. */
    private static void elements(double[] src, int off, int ld, int from, int len, double[] dst, int base, int stride,
                                 int rows) {
        for (int p = from; p < len; p++) {
            int o = base + p * stride, s = off + p;
            for (int r = 0; r < rows; r++) {
                dst[o + r] = src[s + r * ld];
            }
        }
    }

    /** The definition, element by element, for columns {@code [from, len)} of {@code rows} rows. */
    private static void elements(float[] src, int off, int ld, int from, int len, float[] dst, int base, int stride,
                                 int rows) {
        for (int p = from; p < len; p++) {
            int o = base + p * stride, s = off + p;
            for (int r = 0; r < rows; r++) {
                dst[o + r] = src[s + r * ld];
            }
        }
    }

    /**
     * The whole 8×8 blocks of {@link #rows8}, each transposed by two-table permutes: after the
     * rounds, vector q holds column q of the 8 rows. The loop is here rather than around a call per
     * block, so that the permute tables stay in registers (a call per block: 0.25 against 0.21 ns
     * an element under {@code -XX:UseAVX=2} for {@link #swapBlocks}). With {@code rows} 6, rows 6
     * and 7 repeat row 5 and are not read ({@link #rows6}), and a block is taken only while columns
     * remain after it.
     *
     * @return the columns done, a multiple of 8
     */
    private static int blocks(float[] src, int off, int ld, int len, float[] dst, int base, int stride,
                              int rows) {
        int p = 0;
        for (; rows == 8 ? p + 8 <= len : p + 8 < len; p += 8) {
            int s = off + p, o = base + p * stride;
            FloatVector r0 = FloatVector.fromArray(S8, src, s);
            FloatVector r1 = FloatVector.fromArray(S8, src, s + ld);
            FloatVector r2 = FloatVector.fromArray(S8, src, s + 2 * ld);
            FloatVector r3 = FloatVector.fromArray(S8, src, s + 3 * ld);
            FloatVector r4 = FloatVector.fromArray(S8, src, s + 4 * ld);
            FloatVector r5 = FloatVector.fromArray(S8, src, s + 5 * ld);
            FloatVector r6 = rows == 8 ? FloatVector.fromArray(S8, src, s + 6 * ld) : r5;
            FloatVector r7 = rows == 8 ? FloatVector.fromArray(S8, src, s + 7 * ld) : r5;
            FloatVector t0 = LO1.selectFrom(r0, r1), t1 = HI1.selectFrom(r0, r1);
            FloatVector t2 = LO1.selectFrom(r2, r3), t3 = HI1.selectFrom(r2, r3);
            FloatVector t4 = LO1.selectFrom(r4, r5), t5 = HI1.selectFrom(r4, r5);
            FloatVector t6 = LO1.selectFrom(r6, r7), t7 = HI1.selectFrom(r6, r7);
            FloatVector u0 = LO2.selectFrom(t0, t2), u1 = HI2.selectFrom(t0, t2);
            FloatVector u2 = LO2.selectFrom(t1, t3), u3 = HI2.selectFrom(t1, t3);
            FloatVector u4 = LO2.selectFrom(t4, t6), u5 = HI2.selectFrom(t4, t6);
            FloatVector u6 = LO2.selectFrom(t5, t7), u7 = HI2.selectFrom(t5, t7);
            LO4.selectFrom(u0, u4).intoArray(dst, o);
            HI4.selectFrom(u0, u4).intoArray(dst, o + stride);
            LO4.selectFrom(u1, u5).intoArray(dst, o + 2 * stride);
            HI4.selectFrom(u1, u5).intoArray(dst, o + 3 * stride);
            LO4.selectFrom(u2, u6).intoArray(dst, o + 4 * stride);
            HI4.selectFrom(u2, u6).intoArray(dst, o + 5 * stride);
            LO4.selectFrom(u3, u7).intoArray(dst, o + 6 * stride);
            HI4.selectFrom(u3, u7).intoArray(dst, o + 7 * stride);
        }
        return p;
    }

    /**
     * One 4×8 block into 32 contiguous floats (column p's 4 rows at {@code o + 4p}): the rounds
     * d = 1, 2 of {@link #swapBlocks} transpose each 4×4 half, leaving columns p and p + 4 in
     * vector p; the round d = 4 then joins the halves that are adjacent in the output.
     */
    private static void swapBlock4(float[] src, int s, int ld, float[] dst, int o) {
        FloatVector r0 = FloatVector.fromArray(S8, src, s);
        FloatVector r1 = FloatVector.fromArray(S8, src, s + ld);
        FloatVector r2 = FloatVector.fromArray(S8, src, s + 2 * ld);
        FloatVector r3 = FloatVector.fromArray(S8, src, s + 3 * ld);
        FloatVector t0 = r0.blend(r1.rearrange(UP1), M1), t1 = r0.rearrange(DOWN1).blend(r1, M1);
        FloatVector t2 = r2.blend(r3.rearrange(UP1), M1), t3 = r2.rearrange(DOWN1).blend(r3, M1);
        FloatVector u0 = t0.blend(t2.rearrange(UP2), M2), u2 = t0.rearrange(DOWN2).blend(t2, M2);
        FloatVector u1 = t1.blend(t3.rearrange(UP2), M2), u3 = t1.rearrange(DOWN2).blend(t3, M2);
        u0.blend(u1.rearrange(UP4), M4).intoArray(dst, o);
        u2.blend(u3.rearrange(UP4), M4).intoArray(dst, o + 8);
        u0.rearrange(DOWN4).blend(u1, M4).intoArray(dst, o + 16);
        u2.rearrange(DOWN4).blend(u3, M4).intoArray(dst, o + 24);
    }

    /**
     * One 8×8 block by three rounds of swapping the off-diagonal d×d blocks of each 2d×2d block
     * (d = 1, 2, 4): rows i and i + d exchange their lanes with bit d clear/set by a lane shift
     * and a blend, for the whole 8×8 blocks of {@link #rows8}, looping here as {@link #blocks}
     * does. Written out so that no vector crosses a call (it would be boxed).
     *
     * @return the columns done, a multiple of 8
     */
    private static int swapBlocks(float[] src, int off, int ld, int len, float[] dst, int base, int stride,
                                  int rows) {
        int p = 0;
        for (; rows == 8 ? p + 8 <= len : p + 8 < len; p += 8) {
            int s = off + p, o = base + p * stride;
            FloatVector r0 = FloatVector.fromArray(S8, src, s);
            FloatVector r1 = FloatVector.fromArray(S8, src, s + ld);
            FloatVector r2 = FloatVector.fromArray(S8, src, s + 2 * ld);
            FloatVector r3 = FloatVector.fromArray(S8, src, s + 3 * ld);
            FloatVector r4 = FloatVector.fromArray(S8, src, s + 4 * ld);
            FloatVector r5 = FloatVector.fromArray(S8, src, s + 5 * ld);
            FloatVector r6 = rows == 8 ? FloatVector.fromArray(S8, src, s + 6 * ld) : r5;
            FloatVector r7 = rows == 8 ? FloatVector.fromArray(S8, src, s + 7 * ld) : r5;
            FloatVector t0 = r0.blend(r1.rearrange(UP1), M1), t1 = r0.rearrange(DOWN1).blend(r1, M1);
            FloatVector t2 = r2.blend(r3.rearrange(UP1), M1), t3 = r2.rearrange(DOWN1).blend(r3, M1);
            FloatVector t4 = r4.blend(r5.rearrange(UP1), M1), t5 = r4.rearrange(DOWN1).blend(r5, M1);
            FloatVector t6 = r6.blend(r7.rearrange(UP1), M1), t7 = r6.rearrange(DOWN1).blend(r7, M1);
            FloatVector u0 = t0.blend(t2.rearrange(UP2), M2), u2 = t0.rearrange(DOWN2).blend(t2, M2);
            FloatVector u1 = t1.blend(t3.rearrange(UP2), M2), u3 = t1.rearrange(DOWN2).blend(t3, M2);
            FloatVector u4 = t4.blend(t6.rearrange(UP2), M2), u6 = t4.rearrange(DOWN2).blend(t6, M2);
            FloatVector u5 = t5.blend(t7.rearrange(UP2), M2), u7 = t5.rearrange(DOWN2).blend(t7, M2);
            u0.blend(u4.rearrange(UP4), M4).intoArray(dst, o);
            u1.blend(u5.rearrange(UP4), M4).intoArray(dst, o + stride);
            u2.blend(u6.rearrange(UP4), M4).intoArray(dst, o + 2 * stride);
            u3.blend(u7.rearrange(UP4), M4).intoArray(dst, o + 3 * stride);
            u0.rearrange(DOWN4).blend(u4, M4).intoArray(dst, o + 4 * stride);
            u1.rearrange(DOWN4).blend(u5, M4).intoArray(dst, o + 5 * stride);
            u2.rearrange(DOWN4).blend(u6, M4).intoArray(dst, o + 6 * stride);
            u3.rearrange(DOWN4).blend(u7, M4).intoArray(dst, o + 7 * stride);
        }
        return p;
    }
}
