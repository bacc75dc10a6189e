package dev.jgrad.backend.cpu;

import dev.jgrad.DType;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.Odometer;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.View;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched matmul dispatch: walks the batch, picks the direct kernel for small products (where
 * packing costs more than it saves), the row-dot kernel for a mini-batch times a transposed weight,
 * or the packed GEMM. Large packed products share their packed A between threads and split by
 * column panels ({@link Sgemm#gemmParallel}); products with too few columns split by rows instead,
 * each thread packing its own (small) B.
 */
final class MatMul {
    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;
    /** Below this many multiply-adds a product runs the direct kernel. */
    private static final long DIRECT_LIMIT = 48L * 48 * 48;
    /** Up to this many rows, {@code A·Wᵀ} runs as row dot products: packing Wᵀ would cost as much as the product. */
    private static final int DOT_MAX_ROWS = 128;
    /** Multiply-adds per thread before splitting a product pays for the fork. */
    private static final long PARALLEL_GRAIN = 1L << 20;

    private MatMul() {
    }

    static void matmul(View a, View b, View out) {
        int r = out.rank();
        int m = out.shape()[r - 2], n = out.shape()[r - 1], k = a.shape()[r - 1];
        int[] batch = Arrays.copyOf(out.shape(), r - 2);
        int count = Odometer.count(batch);
        if (count == 0 || m == 0 || n == 0) {
            return;
        }
        boolean contiguousOut = out.isContiguous();
        View c = contiguousOut ? out : View.contiguous(HeapBuffer.allocate(CpuBackend.INSTANCE, out.buffer().dtype(), out.numel()), out.shape());
        int[][] offsets = new int[count][];
        Odometer it = Odometer.of(batch, a, b, c);
        int q = 0;
        do {
            offsets[q++] = it.offsets.clone();
        } while (it.next());
        long work = (long) m * n * k;
        if (count > 1 && work < PARALLEL_GRAIN) {
            int parts = Parallel.parts(work * count, PARALLEL_GRAIN);
            Parallel.forEach(parts, p -> {
                for (int i = p; i < count; i += parts) {
                    one(a, b, c, offsets[i], m, n, k, false);
                }
            });
        } else {
            for (int[] off : offsets) {
                one(a, b, c, off, m, n, k, true);
            }
        }
        if (!contiguousOut) {
            Elementwise.unary(UnaryOp.IDENTITY, 0, c, out);
        }
    }

    private static void one(View a, View b, View c, int[] off, int m, int n, int k, boolean parallel) {
        int r = a.rank();
        int ars = a.strides()[r - 2], acs = a.strides()[r - 1], brs = b.strides()[r - 2], bcs = b.strides()[r - 1];
        HeapBuffer ha = (HeapBuffer) a.buffer(), hb = (HeapBuffer) b.buffer(), hc = (HeapBuffer) c.buffer();
        if (hc.dtype() == DType.F32) {
            Sgemm.Operand oa = new Sgemm.Operand(ha.f32, off[0], ars, acs);
            Sgemm.Operand ob = new Sgemm.Operand(hb.f32, off[1], brs, bcs);
            if ((long) m * n * k <= DIRECT_LIMIT || m < Sgemm.MR) {
                directF32(m, n, k, oa, ob, hc.f32, off[2], n);
            } else if (m <= DOT_MAX_ROWS && acs == 1 && brs == 1 && k >= 64) {
                split(m, n, k, parallel, 4, 4, (i0, i1, j0, j1) -> DotGemm.gemm(i0, i1, j0, j1, k, ha.f32, off[0], ars,
                        hb.f32, off[1], bcs, hc.f32, off[2], n));
            } else if (columnParts(m, n, k, parallel, Sgemm.NR) > 1) {
                Sgemm.gemmParallel(m, n, k, oa, ob, hc.f32, off[2], n,
                        pieceSize(n, (long) m * k, columnParts(m, n, k, parallel, Sgemm.NR), Sgemm.NR));
            } else {
                split(m, n, k, parallel, Sgemm.MR, Sgemm.NR, (i0, i1, j0, j1) -> Sgemm.gemm(i0, i1, j0, j1, k, oa, ob,
                        hc.f32, off[2], n));
            }
        } else {
            Dgemm.Operand oa = new Dgemm.Operand(ha.f64, off[0], ars, acs);
            Dgemm.Operand ob = new Dgemm.Operand(hb.f64, off[1], brs, bcs);
            if ((long) m * n * k <= DIRECT_LIMIT || m < Dgemm.MR) {
                directF64(m, n, k, oa, ob, hc.f64, off[2], n);
            } else if (columnParts(m, n, k, parallel, Dgemm.NR) > 1) {
                Dgemm.gemmParallel(m, n, k, oa, ob, hc.f64, off[2], n,
                        pieceSize(n, (long) m * k, columnParts(m, n, k, parallel, Dgemm.NR), Dgemm.NR));
            } else {
                split(m, n, k, parallel, Dgemm.MR, Dgemm.NR, (i0, i1, j0, j1) -> Dgemm.gemm(i0, i1, j0, j1, k, oa, ob,
                        hc.f64, off[2], n));
            }
        }
    }

    private interface Block {
        void run(int i0, int i1, int j0, int j1);
    }

    /**
     * @return how many threads share a packed product by column panels ({@link Sgemm#gemmParallel}),
     *     or 1 when it is too small to split or too narrow, in which case {@link #split} cuts rows
     */
    private static int columnParts(int m, int n, int k, boolean parallel, int nr) {
        int parts = parallel ? Parallel.parts((long) m * n * k, PARALLEL_GRAIN) : 1;
        return parts > 1 && n >= parts * 2 * nr ? parts : 1;
    }

    private static void split(int m, int n, int k, boolean parallel, int mr, int nr, Block block) {
        int parts = parallel ? Parallel.parts((long) m * n * k, PARALLEL_GRAIN) : 1;
        if (parts <= 1) {
            block.run(0, m, 0, n);
        } else if (n >= parts * 2 * nr) {
            int per = pieceSize(n, (long) m * k, parts, nr);
            Parallel.forEach((n + per - 1) / per, p -> block.run(0, m, p * per, Math.min(n, (p + 1) * per)));
        } else {
            int per = pieceSize(m, (long) n * k, parts, mr);
            Parallel.forEach((m + per - 1) / per, p -> block.run(p * per, Math.min(m, (p + 1) * per), 0, n));
        }
    }

    /**
     * The width of the pieces a dimension of {@code extent} is cut into for {@code parts} threads:
     * about four pieces per thread, claimed dynamically, so that a thread that starts late or runs
     * on a busier core does not hold the others up, but each piece at least a quarter of the grain
     * ({@code unitWork} multiply-adds per row or column) and a multiple of {@code unit}.
     */
    static int pieceSize(int extent, long unitWork, int parts, int unit) {
        int per = roundUp((extent + 4 * parts - 1) / (4 * parts), unit);
        int minimum = roundUp((int) Math.min(extent, PARALLEL_GRAIN / 4 / Math.max(1, unitWork) + 1), unit);
        return Math.max(per, minimum);
    }

    private static int roundUp(int v, int unit) {
        return (v + unit - 1) / unit * unit;
    }

    /**
     * Small products without packing: for each group of 4 rows and each vector-wide column block,
     * accumulate over k in registers (4 independent FMA chains sharing each load of B), then store
     * once. Accumulating into C in memory instead stalls on store-to-load forwarding of wide
     * vectors, which costs more than the arithmetic at these sizes. Column tails use masks.
     */
    private static void directF32(int m, int n, int k, Sgemm.Operand a, Sgemm.Operand b, float[] c, int co, int ldc) {
        float[] bd = b.data();
        int bo = b.off(), brs = b.rs();
        if (b.cs() != 1) {
            bd = new float[k * n];
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    bd[p * n + j] = b.data()[b.off() + p * b.rs() + j * b.cs()];
                }
            }
            bo = 0;
            brs = n;
        }
        float[] ad = a.data();
        int ars = a.rs(), acs = a.cs();
        int l = SF.length();
        for (int j = 0; j < n; j += l) {
            VectorMask<Float> mask = SF.indexInRange(j, n);
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                int a0 = a.off() + i * ars;
                FloatVector c0 = FloatVector.zero(SF), c1 = c0, c2 = c0, c3 = c0;
                for (int p = 0; p < k; p++) {
                    FloatVector bv = FloatVector.fromArray(SF, bd, bo + p * brs + j, mask);
                    int ap = a0 + p * acs;
                    c0 = FloatVector.broadcast(SF, ad[ap]).fma(bv, c0);
                    c1 = FloatVector.broadcast(SF, ad[ap + ars]).fma(bv, c1);
                    c2 = FloatVector.broadcast(SF, ad[ap + 2 * ars]).fma(bv, c2);
                    c3 = FloatVector.broadcast(SF, ad[ap + 3 * ars]).fma(bv, c3);
                }
                int row = co + i * ldc + j;
                c0.intoArray(c, row, mask);
                c1.intoArray(c, row + ldc, mask);
                c2.intoArray(c, row + 2 * ldc, mask);
                c3.intoArray(c, row + 3 * ldc, mask);
            }
            for (; i < m; i++) {
                int a0 = a.off() + i * ars;
                FloatVector c0 = FloatVector.zero(SF);
                for (int p = 0; p < k; p++) {
                    c0 = FloatVector.broadcast(SF, ad[a0 + p * acs]).fma(
                            FloatVector.fromArray(SF, bd, bo + p * brs + j, mask), c0);
                }
                c0.intoArray(c, co + i * ldc + j, mask);
            }
        }
    }

    /** The F64 twin of {@link #directF32}. */
    private static void directF64(int m, int n, int k, Dgemm.Operand a, Dgemm.Operand b, double[] c, int co, int ldc) {
        double[] bd = b.data();
        int bo = b.off(), brs = b.rs();
        if (b.cs() != 1) {
            bd = new double[k * n];
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    bd[p * n + j] = b.data()[b.off() + p * b.rs() + j * b.cs()];
                }
            }
            bo = 0;
            brs = n;
        }
        double[] ad = a.data();
        int ars = a.rs(), acs = a.cs();
        int l = SD.length();
        for (int j = 0; j < n; j += l) {
            VectorMask<Double> mask = SD.indexInRange(j, n);
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                int a0 = a.off() + i * ars;
                DoubleVector c0 = DoubleVector.zero(SD), c1 = c0, c2 = c0, c3 = c0;
                for (int p = 0; p < k; p++) {
                    DoubleVector bv = DoubleVector.fromArray(SD, bd, bo + p * brs + j, mask);
                    int ap = a0 + p * acs;
                    c0 = DoubleVector.broadcast(SD, ad[ap]).fma(bv, c0);
                    c1 = DoubleVector.broadcast(SD, ad[ap + ars]).fma(bv, c1);
                    c2 = DoubleVector.broadcast(SD, ad[ap + 2 * ars]).fma(bv, c2);
                    c3 = DoubleVector.broadcast(SD, ad[ap + 3 * ars]).fma(bv, c3);
                }
                int row = co + i * ldc + j;
                c0.intoArray(c, row, mask);
                c1.intoArray(c, row + ldc, mask);
                c2.intoArray(c, row + 2 * ldc, mask);
                c3.intoArray(c, row + 3 * ldc, mask);
            }
            for (; i < m; i++) {
                int a0 = a.off() + i * ars;
                DoubleVector c0 = DoubleVector.zero(SD);
                for (int p = 0; p < k; p++) {
                    c0 = DoubleVector.broadcast(SD, ad[a0 + p * acs]).fma(
                            DoubleVector.fromArray(SD, bd, bo + p * brs + j, mask), c0);
                }
                c0.intoArray(c, co + i * ldc + j, mask);
            }
        }
    }

}
