package dev.jgrad.backend.cpu;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double-precision GEMM, derived from {@link Sgemm} by core/tools/derive-dgemm.sh: {@code C = A·B}
 * in the blocked, packed design of high-performance BLAS
 * (Goto; BLIS): the column range is cut into NC panels and the depth into KC slices; each KC×NC
 * slice of B is packed into NR-wide slivers, each MC×KC block of A into MR-tall slivers, both
 * zero-padded so the MR×NR micro-kernel ({@link DgemmKernel}) never needs a mask. The kernel shape
 * and block sizes are chosen for this machine's vectors, registers and caches ({@link GemmShape}). The first depth slice stores into C and the
 * later ones accumulate, so C is never zero-filled nor read before it holds partial sums.
 *
 * <p>Operands are given by offset and row/column strides, so transposed views (backward's
 * {@code dC·Bᵀ} and {@code Aᵀ·dC}) are absorbed by packing, never copied. C is row-major with
 * leading dimension {@code ldc} and is overwritten. Products too small for packing to pay run
 * {@link DgemmDirect} instead; {@link DgemmParallel} shares the packed operands between threads.
 */
final class Dgemm {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The kernel and blocking for this machine: see {@link GemmShape}. */
    static final GemmShape SHAPE = GemmShape.F64;
    static final int MR = SHAPE.mr();
    static final int NR = SHAPE.nr();
    static final int KC = SHAPE.kc();
    static final int MC = SHAPE.mc();
    static final int NC = SHAPE.nc();
    /**
     * Whether a row-major A's slivers may be stored row by row, {@link #A_ROW} apart, so that they
     * are packed by plain copies (the 6-row kernel reads its rows at constant offsets), rather than
     * depth step by depth step, MR values each (which a transposed A, backward's Aᵀ·dC, copies in
     * MR-wide runs, and the 8- and 4-row kernels read). The row layout's A rows are separate
     * streams, a row stride apart: for the transposed A of {@code dYᵀ·X} (2048×256·256×2048, two
     * threads) it measured 7% slower than the depth-major sliver, one stream. It is taken for
     * slices at least KC/2 deep only ({@link #rowA}): a row of A_ROW floats holding a few values
     * would multiply the memory of a tall, shallow A (an unfolded convolution's) by up to KC.
     */
    static final boolean ROW_A = MR == 6;
    /**
     * The row stride of a {@link #ROW_A} sliver: a slice's depth and one cache line more, so that
     * the rows, read side by side, do not all fall in one cache set when KC is a power of two.
     */
    static final int A_ROW = KC + 64 / Double.BYTES;
    /**
     * The most columns of C over which A is packed row by row. Its six streams cost the kernel
     * more than the interleaving they save where A serves many columns: under
     * {@code -XX:UseAVX=2}, one thread, row by row against depth-major, 256×1024·1024×n took 6%
     * less time at n = 128, 1–2% at 256, the same at 512, and 2048³ and 256×2048·2048×2048 4% more.
     */
    private static final int ROW_A_COLUMNS = 384;
    /** Rows of a row-major B packed across all slivers before the next rows ({@link #packRows}). */
    private static final int ROW_BLOCK = 8;
    /** Per-thread packing buffers (A block, B panel, edge tile), grown to the largest product seen. */
    private static final ThreadLocal<double[][]> PACKS =
            ThreadLocal.withInitial(() -> new double[][] {new double[0], new double[0], new double[MR * NR]});

    private Dgemm() {
    }

    /** One matrix operand: element (i, j) at {@code data[off + i*rs + j*cs]}. */
    record Operand(double[] data, int off, int rs, int cs) {
    }

    /**
     * Where the micro-kernel finds B's slivers: column j of depth row p at {@code data[base + j*colStep
     * + p*rowStep]}, so sliver {@code jr} (its first column) starts at {@code base + jr*colStep}.
     * Packed: {@code (kc, NR)}; read in place from a row-major B: {@code (1, B's row stride)}.
     */
    record Slivers(double[] data, int base, int colStep, int rowStep) {
    }

    /** Computes rows {@code [i0, i1)} and columns {@code [j0, j1)} of {@code C = A·B} (inner dim k). */
    static void gemm(int i0, int i1, int j0, int j1, int k, Operand a, Operand b, double[] c, int co, int ldc) {
        if (k == 0) {
            for (int i = i0; i < i1; i++) {
                Arrays.fill(c, co + i * ldc + j0, co + i * ldc + j1, 0.0);
            }
            return;
        }
        double[][] packs = packs(Math.min(KC, k), j1 - j0);
        double[] ap = packs[0], bp = packs[1], tile = packs[2];
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean rowA = rowA(a, kc, nc);
                Slivers sb = slivers(b, pc, kc, k, jc, nc, i1 - i0, bp, rowA);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(a, ic, mc, pc, kc, rowA, ap, 0);
                    macroKernel(mc, nc, kc, ap, 0, sb, c, co + ic * ldc + jc, ldc, tile, pc > 0, rowA);
                }
            }
        }
    }

    /** This thread's packing buffers, grown to hold an A block and a B panel {@code cols} wide. */
    static double[][] packs(int kc, int cols) {
        double[][] packs = PACKS.get();
        int needA = MC * (ROW_A ? A_ROW : kc), needB = kc * Math.min(NC, (cols + NR - 1) / NR * NR);
        if (packs[0].length < needA) {
            packs[0] = new double[needA];
        }
        if (packs[1].length < needB) {
            packs[1] = new double[needB];
        }
        return packs;
    }

    /** B[pc:pc+kc, jc:jc+nc] as the micro-kernel's slivers: {@link #inPlace} where it may be, else packed into bp. */
    static Slivers slivers(Operand b, int pc, int kc, int k, int jc, int nc, int rows, double[] bp,
                           boolean rowA) {
        Slivers in = inPlace(b, pc, kc, k, jc, nc, rows, rowA);
        if (in != null) {
            return in;
        }
        packB(b, pc, kc, jc, nc, bp, 0);
        return new Slivers(bp, 0, kc, NR);
    }

    /**
     * B[pc:pc+kc, jc:jc+nc] as slivers read where it is ({@link DgemmKernel#runInPlace}), or null
     * where it must be packed. In place when A's slivers are rows ({@code rowA}), k is one slice, B
     * is row-major, its width a whole number of slivers, a packed sliver would not fit in L1, and
     * B's rows fit in L2 beside the packed A ({@code rows} of it, up to MC): the kernel then meets
     * each sliver in L2 either way, so packing it only costs time (for
     * 64×784·784×128 under {@code -XX:UseAVX=2}, 7% of the product). A shallower sliver stays in L1
     * when packed but not in place, where B's rows a power of two apart share a few L1 sets
     * (64×128·128×1024: 52 against 95 GFLOP/s in place).
     */
    static Slivers inPlace(Operand b, int pc, int kc, int k, int jc, int nc, int rows, boolean rowA) {
        long bytes = ((long) kc * b.rs() + (long) Math.min(rows, MC) * kc) * Double.BYTES;
        boolean pastL1 = (long) kc * NR * Double.BYTES > GemmShape.L1;
        if (rowA && kc == k && b.cs() == 1 && nc % NR == 0 && pastL1 && bytes <= GemmShape.L2 * 3 / 4) {
            return new Slivers(b.data(), b.off() + pc * b.rs() + jc, 1, b.rs());
        }
        return null;
    }

    static void macroKernel(int mc, int nc, int kc, double[] ap, int aBase, Slivers sb, double[] c, int co,
                            int ldc, double[] tile, boolean accumulate, boolean rowA) {
        double[] bd = sb.data();
        int ldb = sb.rowStep(), depth = depth(rowA, kc);
        boolean inPlace = sb.colStep() == 1;
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bOff = sb.base() + jr * sb.colStep();
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int cOff = co + ir * ldc + jr;
                if (mr == MR && nr == NR && inPlace) {
                    DgemmKernel.runInPlace(kc, ap, aBase + ir * depth, bd, bOff, ldb, c, cOff, ldc);
                } else if (mr == MR && nr == NR) {
                    DgemmKernel.run(kc, ap, aBase + ir * depth, bd, bOff, c, cOff, ldc, accumulate, rowA);
                } else {
                    if (inPlace) {
                        DgemmKernel.runInPlace(kc, ap, aBase + ir * depth, bd, bOff, ldb, tile, 0, NR);
                    } else {
                        DgemmKernel.run(kc, ap, aBase + ir * depth, bd, bOff, tile, 0, NR, false, rowA);
                    }
                    for (int r = 0; r < mr; r++) {
                        for (int j = 0; j < nr; j++) {
                            c[cOff + r * ldc + j] = (accumulate ? c[cOff + r * ldc + j] : 0.0) + tile[r * NR + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * Whether a slice of A {@code kc} deep, multiplied into {@code cols} columns of C, is packed in the
     * {@link #ROW_A} layout: with the 6-row kernel, when A is row-major, the slice at least KC/2 deep
     * and the columns few enough that packing A weighs ({@link #ROW_A_COLUMNS}).
     */
    static boolean rowA(Operand a, int kc, int cols) {
        return ROW_A && a.cs() == 1 && 2 * kc >= KC && cols <= ROW_A_COLUMNS;
    }

    /** Floats per row of an A block: a sliver row's stride ({@link #rowA}) or the slice's depth. */
    static int depth(boolean rowA, int kc) {
        return rowA ? A_ROW : kc;
    }

    /**
     * Packs A[ic:ic+mc, pc:pc+kc] into MR-row slivers, zero-padded, {@code MR * depth(rowA, kc)}
     * apart. In the {@link #ROW_A} layout ({@code rowA}) each sliver row is a copy of A's row;
     * otherwise each sliver is stored k-major: a transposed A (backward's Aᵀ·dC) copies MR-wide runs, a row-major
     * A is interleaved 8, 6 or 4 rows at a time ({@link Interleave}).
     */
    static void packA(Operand a, int ic, int mc, int pc, int kc, boolean rowA, double[] ap, int apOff) {
        double[] d = a.data();
        int rs = a.rs(), cs = a.cs();
        for (int s = 0; s < mc; s += MR) {
            int base = apOff + s * depth(rowA, kc);
            int rows = Math.min(MR, mc - s);
            int src0 = a.off() + (ic + s) * rs + pc * cs;
            if (rowA) {
                packRowsOfA(d, src0, rs, rows, kc, ap, base);
            } else if (rs == 1 && rows == MR) {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(d, src0 + p * cs, ap, base + p * MR, MR);
                }
            } else if (cs == 1 && rows == 8 && MR == 8) {
                Interleave.rows8(d, src0, rs, kc, ap, base, MR);
            } else if (cs == 1 && rows == 6 && MR == 6) {
                Interleave.rows6(d, src0, rs, kc, ap, base, MR);
            } else if (cs == 1 && rows == 4 && MR == 4) {
                Interleave.rows4(d, src0, rs, kc, ap, base, MR);
            } else if (cs == 1) {
                // Row by row: each row is read along its unit stride, and the rows past A's end are zero.
                for (int r = 0; r < MR; r++) {
                    int src = src0 + r * rs, dst = base + r;
                    for (int p = 0; p < kc; p++) {
                        ap[dst + p * MR] = r < rows ? d[src + p] : 0.0;
                    }
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    int src = src0 + r * rs;
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * MR + r] = r < rows ? d[src + p * cs] : 0.0;
                    }
                }
            }
        }
    }

    /** One sliver in the {@link #ROW_A} layout: row r of {@code rows} at {@code base + r*A_ROW}, the rest zero. */
    private static void packRowsOfA(double[] d, int src0, int rs, int rows, int kc, double[] ap, int base) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(d, src0 + r * rs, ap, base + r * A_ROW, kc);
        }
        for (int r = rows; r < MR; r++) {
            Arrays.fill(ap, base + r * A_ROW, base + r * A_ROW + kc, 0.0);
        }
    }

    /**
     * Packs B[pc:pc+kc, jc:jc+nc] into NR-column slivers from {@code bp[bpOff]} on, each stored
     * k-major, zero-padded. A row-major B is copied by {@link #packRows}; a transposed B (a linear
     * layer's x·Wᵀ, backward's dC·Bᵀ) is the untransposed matrix's rows interleaved 8 at a time
     * ({@link Interleave}).
     */
    static void packB(Operand b, int pc, int kc, int jc, int nc, double[] bp, int bpOff) {
        double[] d = b.data();
        int rs = b.rs(), cs = b.cs();
        if (cs == 1) {
            packRows(d, b.off() + pc * rs + jc, rs, kc, nc / NR * NR, bp, bpOff);
        }
        for (int t = cs == 1 ? nc / NR * NR : 0; t < nc; t += NR) {
            int base = bpOff + t * kc;
            int cols = Math.min(NR, nc - t);
            int src0 = b.off() + pc * rs + (jc + t) * cs;
            if (cs == 1) {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(d, src0 + p * rs, bp, base + p * NR, cols);
                    Arrays.fill(bp, base + p * NR + cols, base + (p + 1) * NR, 0.0);
                }
            } else if (rs == 1 && cols == NR && NR % 8 == 0) {
                for (int j = 0; j < NR; j += 8) {
                    Interleave.rows8(d, src0 + j * cs, cs, kc, bp, base + j, NR);
                }
            } else {
                for (int j = 0; j < NR; j++) {
                    int src = src0 + j * cs;
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + j] = j < cols ? d[src + p * rs] : 0.0;
                    }
                }
            }
        }
    }

    /**
     * Packs the whole NR-column slivers of a row-major B ({@code kc} rows {@code rs} apart from
     * {@code src0}, {@code width} a multiple of NR) into {@code bp[bpOff]} on, two vectors per row
     * (a 128-byte arraycopy call costs 40% more), {@link #ROW_BLOCK} rows at a time across all
     * slivers: sliver by sliver down all kc rows reads one cache line per row from rows a page or
     * more apart, which packed a 2048-wide B at 7–8 GB/s under {@code -XX:UseAVX=2} against
     * 11–14 GB/s in row blocks.
     */
    private static void packRows(double[] d, int src0, int rs, int kc, int width, double[] bp, int bpOff) {
        for (int p0 = 0; p0 < kc; p0 += ROW_BLOCK) {
            int p1 = Math.min(kc, p0 + ROW_BLOCK);
            for (int t = 0; t < width; t += NR) {
                for (int p = p0; p < p1; p++) {
                    int src = src0 + p * rs + t, dst = bpOff + t * kc + p * NR;
                    DoubleVector.fromArray(S, d, src).intoArray(bp, dst);
                    DoubleVector.fromArray(S, d, src + L).intoArray(bp, dst + L);
                }
            }
        }
    }
}
