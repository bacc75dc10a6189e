package dev.jgrad.backend.cpu;

import java.lang.invoke.VarHandle;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernels of {@link Dgemm} (derived from {@link SgemmKernel} by
 * core/tools/derive-dgemm.sh): an MR × 2-vector tile of C (+)= kc rank-1 updates of a
 * packed A sliver (MR values per depth step) and a packed B sliver (2 vectors per step). One
 * method per row count, each with its accumulators in locals so that they stay in registers:
 * 8 rows where the JIT has 32 vector registers, 6 where it has 16 ({@link GemmShape} says why; 4
 * rows on request). The 6-row kernel comes twice, for the two A layouts of {@link Dgemm#ROW_A}:
 * depth-major ({@link #rows6}) and row by row ({@link #rows6ByRow}, {@link #runInPlace}), whose
 * rows lie a constant {@link #AR} apart. The C update is written out inline: handing vectors to a
 * helper the JIT might not inline would box them.
 *
 * <p>The 6-row kernels put {@link VarHandle#acquireFence()} before each row's broadcast. C2
 * schedules the loads of a loop body first, all six broadcasts ahead of their FMAs, which with 12
 * accumulators and 2 B vectors needs 20 of the 16 registers: it spilled accumulators, whose chains
 * then ran through a store and a load every step (46–50 GFLOP/s under {@code -XX:UseAVX=2}). A
 * later load may not pass an acquire fence, so each broadcast waits for its row; on x86 the fence
 * is an ordering constraint for the compiler only and emits no instruction. With it the kernel
 * holds 12 accumulators, 2 B vectors and one broadcast, unspilled, and ran an L1-resident sliver
 * at 110–115 GFLOP/s against 97–106 for 4 rows (8 chains). The fence orders the loads only; that
 * each row's FMAs then precede the next broadcast is C2's choice (JDK 25), seen in the disassembly
 * ({@code -XX:CompileCommand=print,dev.jgrad.backend.cpu.DgemmKernel::rows6}, objdump) of all three
 * kernels. Where A's rows were read at offsets held in registers (A in place, rows {@code lda}
 * apart) C2 sank the FMAs below the later loads and spilled again (49 GFLOP/s): hence the packed
 * row layout, whose offsets are constants.
 *
 * <p>The 6-row loops count with A's offset itself. Counted by depth step, C2 worked both offsets
 * out from the step every iteration (7 integer instructions for {@code 6p + aOff} and
 * {@code 16p + bOff}); counted by A's offset, A is addressed by the counter and B by one add. Under
 * {@code -XX:UseAVX=2}, over the slivers of a 126 × 1024 A block and a 1024 × 1024 B panel (the
 * 2048³ product's macro-kernel, packing left out), that ran 2% faster in three of three
 * alternating 20-round runs (104.6 against 102.7 GFLOP/s in the first) and the same on an
 * L1-resident sliver.
 *
 * <p>{@link #runInPlace} is the 6-row kernel over a B read where it lies, its rows a variable
 * stride apart: a separate copy, because that stride keeps the JIT from hoisting the B loads'
 * bounds checks out of the loop (two compare-and-branches per step), which left the packed
 * kernel's 1024³ product at 77–96 GFLOP/s under {@code -XX:UseAVX=2} against 88–94 with NR fixed.
 */
final class DgemmKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = Dgemm.MR;
    private static final int NR = Dgemm.NR;
    /** The row stride of a 6-row kernel's A sliver ({@link Dgemm#ROW_A}). */
    private static final int AR = Dgemm.A_ROW;

    private DgemmKernel() {
    }

    /**
     * {@code C[r, j] (+)= sum_p A(r, p) * bp[bOff + p*NR + j]} for r &lt; MR, j &lt; NR, where A(r, p) is
     * {@code ap[aOff + r*AR + p]} if {@code rowA} (6 rows only, {@link Dgemm#ROW_A}), else {@code ap[aOff + p*MR + r]};
     * C's rows are {@code ldc} apart from {@code cOff}; {@code accumulate} false overwrites C.
     */
    static void run(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc,
                    boolean accumulate, boolean rowA) {
        if (MR == 8) {
            rows8(kc, ap, aOff, bp, bOff, c, cOff, ldc, accumulate);
        } else if (MR == 6 && rowA) {
            rows6ByRow(kc, ap, aOff, bp, bOff, c, cOff, ldc, accumulate);
        } else if (MR == 6) {
            rows6(kc, ap, aOff, bp, bOff, c, cOff, ldc, accumulate);
        } else {
            rows4(kc, ap, aOff, bp, bOff, c, cOff, ldc, accumulate);
        }
    }

    /**
     * {@code C[r, j] = sum_p ap[aOff + r*AR + p] * bp[bOff + p*ldb + j]} for r &lt; 6, j &lt; NR: the
     * 6-row kernel over B's rows where they lie, {@code ldb} apart ({@link Dgemm} reads a small
     * row-major B so, one depth slice only, so C is always overwritten).
     */
    static void runInPlace(int kc, double[] ap, int aOff, double[] bp, int bOff, int ldb, double[] c, int cOff,
                           int ldc) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        DoubleVector c40 = c00, c41 = c00;
        DoubleVector c50 = c00, c51 = c00;
        for (int end = aOff + kc; aOff < end; aOff++) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bOff);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bOff + L);
            DoubleVector a = DoubleVector.broadcast(S, ap[aOff]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 1 * AR]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 2 * AR]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 3 * AR]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 4 * AR]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 5 * AR]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            bOff += ldb;
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
    }

    /** 8 rows: 16 accumulators, 2 B vectors and the broadcasts in 32 registers. */
    private static void rows8(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc,
                              boolean accumulate) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        DoubleVector c40 = c00, c41 = c00;
        DoubleVector c50 = c00, c51 = c00;
        DoubleVector c60 = c00, c61 = c00;
        DoubleVector c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bOff);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bOff + L);
            DoubleVector a = DoubleVector.broadcast(S, ap[aOff]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = DoubleVector.broadcast(S, ap[aOff + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = DoubleVector.broadcast(S, ap[aOff + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = DoubleVector.broadcast(S, ap[aOff + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = DoubleVector.broadcast(S, ap[aOff + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = DoubleVector.broadcast(S, ap[aOff + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = DoubleVector.broadcast(S, ap[aOff + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = DoubleVector.broadcast(S, ap[aOff + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            aOff += 8;
            bOff += NR;
        }
        if (accumulate) {
            c00.add(DoubleVector.fromArray(S, c, cOff)).intoArray(c, cOff);
            c01.add(DoubleVector.fromArray(S, c, cOff + L)).intoArray(c, cOff + L);
            c10.add(DoubleVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
            c11.add(DoubleVector.fromArray(S, c, cOff + 1 * ldc + L)).intoArray(c, cOff + 1 * ldc + L);
            c20.add(DoubleVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c21.add(DoubleVector.fromArray(S, c, cOff + 2 * ldc + L)).intoArray(c, cOff + 2 * ldc + L);
            c30.add(DoubleVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c31.add(DoubleVector.fromArray(S, c, cOff + 3 * ldc + L)).intoArray(c, cOff + 3 * ldc + L);
            c40.add(DoubleVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            c41.add(DoubleVector.fromArray(S, c, cOff + 4 * ldc + L)).intoArray(c, cOff + 4 * ldc + L);
            c50.add(DoubleVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
            c51.add(DoubleVector.fromArray(S, c, cOff + 5 * ldc + L)).intoArray(c, cOff + 5 * ldc + L);
            c60.add(DoubleVector.fromArray(S, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
            c61.add(DoubleVector.fromArray(S, c, cOff + 6 * ldc + L)).intoArray(c, cOff + 6 * ldc + L);
            c70.add(DoubleVector.fromArray(S, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
            c71.add(DoubleVector.fromArray(S, c, cOff + 7 * ldc + L)).intoArray(c, cOff + 7 * ldc + L);
        } else {
            c00.intoArray(c, cOff);
            c01.intoArray(c, cOff + L);
            c10.intoArray(c, cOff + 1 * ldc);
            c11.intoArray(c, cOff + 1 * ldc + L);
            c20.intoArray(c, cOff + 2 * ldc);
            c21.intoArray(c, cOff + 2 * ldc + L);
            c30.intoArray(c, cOff + 3 * ldc);
            c31.intoArray(c, cOff + 3 * ldc + L);
            c40.intoArray(c, cOff + 4 * ldc);
            c41.intoArray(c, cOff + 4 * ldc + L);
            c50.intoArray(c, cOff + 5 * ldc);
            c51.intoArray(c, cOff + 5 * ldc + L);
            c60.intoArray(c, cOff + 6 * ldc);
            c61.intoArray(c, cOff + 6 * ldc + L);
            c70.intoArray(c, cOff + 7 * ldc);
            c71.intoArray(c, cOff + 7 * ldc + L);
        }
    }

    /** 6 rows: 12 accumulators, 2 B vectors and one broadcast in 16 registers (fenced: see the class comment). */
    private static void rows6(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc,
                              boolean accumulate) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        DoubleVector c40 = c00, c41 = c00;
        DoubleVector c50 = c00, c51 = c00;
        for (int end = aOff + 6 * kc; aOff < end; aOff += 6) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bOff);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bOff + L);
            DoubleVector a = DoubleVector.broadcast(S, ap[aOff]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            bOff += NR;
        }
        if (accumulate) {
            c00.add(DoubleVector.fromArray(S, c, cOff)).intoArray(c, cOff);
            c01.add(DoubleVector.fromArray(S, c, cOff + L)).intoArray(c, cOff + L);
            c10.add(DoubleVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
            c11.add(DoubleVector.fromArray(S, c, cOff + 1 * ldc + L)).intoArray(c, cOff + 1 * ldc + L);
            c20.add(DoubleVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c21.add(DoubleVector.fromArray(S, c, cOff + 2 * ldc + L)).intoArray(c, cOff + 2 * ldc + L);
            c30.add(DoubleVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c31.add(DoubleVector.fromArray(S, c, cOff + 3 * ldc + L)).intoArray(c, cOff + 3 * ldc + L);
            c40.add(DoubleVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            c41.add(DoubleVector.fromArray(S, c, cOff + 4 * ldc + L)).intoArray(c, cOff + 4 * ldc + L);
            c50.add(DoubleVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
            c51.add(DoubleVector.fromArray(S, c, cOff + 5 * ldc + L)).intoArray(c, cOff + 5 * ldc + L);
        } else {
            c00.intoArray(c, cOff);
            c01.intoArray(c, cOff + L);
            c10.intoArray(c, cOff + 1 * ldc);
            c11.intoArray(c, cOff + 1 * ldc + L);
            c20.intoArray(c, cOff + 2 * ldc);
            c21.intoArray(c, cOff + 2 * ldc + L);
            c30.intoArray(c, cOff + 3 * ldc);
            c31.intoArray(c, cOff + 3 * ldc + L);
            c40.intoArray(c, cOff + 4 * ldc);
            c41.intoArray(c, cOff + 4 * ldc + L);
            c50.intoArray(c, cOff + 5 * ldc);
            c51.intoArray(c, cOff + 5 * ldc + L);
        }
    }

    /** {@link #rows6} over an A sliver stored row by row, {@link #AR} apart ({@link Dgemm#ROW_A}). */
    private static void rows6ByRow(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc,
                              boolean accumulate) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        DoubleVector c40 = c00, c41 = c00;
        DoubleVector c50 = c00, c51 = c00;
        for (int end = aOff + kc; aOff < end; aOff++) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bOff);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bOff + L);
            DoubleVector a = DoubleVector.broadcast(S, ap[aOff]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 1 * AR]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 2 * AR]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 3 * AR]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 4 * AR]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            VarHandle.acquireFence();
            a = DoubleVector.broadcast(S, ap[aOff + 5 * AR]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            bOff += NR;
        }
        if (accumulate) {
            c00.add(DoubleVector.fromArray(S, c, cOff)).intoArray(c, cOff);
            c01.add(DoubleVector.fromArray(S, c, cOff + L)).intoArray(c, cOff + L);
            c10.add(DoubleVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
            c11.add(DoubleVector.fromArray(S, c, cOff + 1 * ldc + L)).intoArray(c, cOff + 1 * ldc + L);
            c20.add(DoubleVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c21.add(DoubleVector.fromArray(S, c, cOff + 2 * ldc + L)).intoArray(c, cOff + 2 * ldc + L);
            c30.add(DoubleVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c31.add(DoubleVector.fromArray(S, c, cOff + 3 * ldc + L)).intoArray(c, cOff + 3 * ldc + L);
            c40.add(DoubleVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            c41.add(DoubleVector.fromArray(S, c, cOff + 4 * ldc + L)).intoArray(c, cOff + 4 * ldc + L);
            c50.add(DoubleVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
            c51.add(DoubleVector.fromArray(S, c, cOff + 5 * ldc + L)).intoArray(c, cOff + 5 * ldc + L);
        } else {
            c00.intoArray(c, cOff);
            c01.intoArray(c, cOff + L);
            c10.intoArray(c, cOff + 1 * ldc);
            c11.intoArray(c, cOff + 1 * ldc + L);
            c20.intoArray(c, cOff + 2 * ldc);
            c21.intoArray(c, cOff + 2 * ldc + L);
            c30.intoArray(c, cOff + 3 * ldc);
            c31.intoArray(c, cOff + 3 * ldc + L);
            c40.intoArray(c, cOff + 4 * ldc);
            c41.intoArray(c, cOff + 4 * ldc + L);
            c50.intoArray(c, cOff + 5 * ldc);
            c51.intoArray(c, cOff + 5 * ldc + L);
        }
    }

    /** 4 rows: 8 accumulators, 2 B vectors and up to 4 broadcasts the JIT loads ahead, in 16 registers. */
    private static void rows4(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc,
                              boolean accumulate) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bOff);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bOff + L);
            DoubleVector a = DoubleVector.broadcast(S, ap[aOff]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = DoubleVector.broadcast(S, ap[aOff + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = DoubleVector.broadcast(S, ap[aOff + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = DoubleVector.broadcast(S, ap[aOff + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            aOff += 4;
            bOff += NR;
        }
        if (accumulate) {
            c00.add(DoubleVector.fromArray(S, c, cOff)).intoArray(c, cOff);
            c01.add(DoubleVector.fromArray(S, c, cOff + L)).intoArray(c, cOff + L);
            c10.add(DoubleVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
            c11.add(DoubleVector.fromArray(S, c, cOff + 1 * ldc + L)).intoArray(c, cOff + 1 * ldc + L);
            c20.add(DoubleVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c21.add(DoubleVector.fromArray(S, c, cOff + 2 * ldc + L)).intoArray(c, cOff + 2 * ldc + L);
            c30.add(DoubleVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c31.add(DoubleVector.fromArray(S, c, cOff + 3 * ldc + L)).intoArray(c, cOff + 3 * ldc + L);
        } else {
            c00.intoArray(c, cOff);
            c01.intoArray(c, cOff + L);
            c10.intoArray(c, cOff + 1 * ldc);
            c11.intoArray(c, cOff + 1 * ldc + L);
            c20.intoArray(c, cOff + 2 * ldc);
            c21.intoArray(c, cOff + 2 * ldc + L);
            c30.intoArray(c, cOff + 3 * ldc);
            c31.intoArray(c, cOff + 3 * ldc + L);
        }
    }
}
