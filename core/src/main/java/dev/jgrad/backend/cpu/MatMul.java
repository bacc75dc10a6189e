package dev.jgrad.backend.cpu;

import dev.jgrad.DType;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.Odometer;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.View;
import java.util.Arrays;

/**
 * Batched matmul dispatch: walks the batch, picks the direct kernel for small products (where
 * packing costs more than it saves), the row-dot kernel for a mini-batch times a transposed weight,
 * or the packed GEMM. Large packed products share their packed A (short A) or each packed B panel
 * (tall A) between threads ({@link SgemmParallel#gemm}); products too thin for either split by
 * rows or columns, each thread packing its own operands.
 */
final class MatMul {
    /** Below this many multiply-adds a product runs the direct kernel. */
    private static final long DIRECT_LIMIT = 48L * 48 * 48;
    /**
     * Up to this many rows (or for any number of rows when C is narrower than a micro-kernel tile),
     * {@code A·Wᵀ} with depth 64+ runs as row dot products: packing W would cost as much as the
     * product (for a single row or column, a matrix-vector product, many times as much). Measured
     * with AVX-512, one thread: dots won at 8 and 32 rows of a 1024×1024 W (0.22 against 0.39 ms,
     * 0.52 against 0.87), the packed kernel from 48 rows on (64×784·(128×784)ᵀ 0.073 against
     * 0.17 ms, 96×512·(512×512)ᵀ 0.30 against 0.90). With 16 vector registers (AVX2) the dots run
     * 4×2 blocks, up to 24 rows: under -XX:UseAVX=2, 8×1024·(512×1024)ᵀ took 0.124 against 0.227 ms
     * packed, 20×1024·(100×1024)ᵀ 0.052 against 0.081; at 32 rows the two were even, at 48 the
     * packed 6 × 16 kernel led (0.108 against 0.130 ms for 48×784·(128×784)ᵀ).
     */
    private static final int DOT_MAX_ROWS = GemmShape.REGISTERS >= 32 ? 32 : 24;
    /** Multiply-adds per thread before splitting a product pays for the fork. */
    private static final long PARALLEL_GRAIN = 1L << 20;

    private MatMul() {
    }

    static void matmul(View a, View b, View out) {
        matmul(a, b, out, true);
    }

    /**
     * Independent products {@code out[i] = a[i]·b[i]}. Two of about equal work (a backward pass's
     * {@code dA} and {@code dB} always are: both take {@code m·n·k} multiply-adds), each large
     * enough to be split, run one per thread when there are two threads: each runs the one-thread
     * kernel start to end, where the shared two-thread product has its threads wait for each other
     * at every packed panel. Measured on Zen 5, one JVM alternating the two ways (AVX2 | AVX-512, ms,
     * medians): a layer's pair, 256 rows, 2048→2048 21.9 → 21.2 | 13.5 → 12.3, 1024→2048 10.9 →
     * 10.4 | 6.7 → 6.4, 512→512 1.74 → 1.51 | 0.90 → 0.76, 64 rows 128→784 0.18 → 0.15 | 0.11 →
     * 0.09; whole SGD steps of a 784-512-512-10 MLP 4–8% faster at batch 64 and 128 (AVX2 batch 64
     * 2.39 → 2.22), of the 1024-2048-2048-1024 MLP at batch 256 as fast by median and 1–2% by best
     * step (AVX2). With more threads every product keeps all of them: the pool runs one job at a
     * time, and halving it per product is not measured on a machine with more than two cores.
     */
    static void matmuls(View[] a, View[] b, View[] out) {
        if (sideBySide(a, b, out)) {
            Parallel.forEach(2, i -> matmul(a[i], b[i], out[i], false));
            return;
        }
        for (int i = 0; i < out.length; i++) {
            matmul(a[i], b[i], out[i], true);
        }
    }

    /** @return whether {@link #matmuls} computes these products one per thread */
    static boolean sideBySide(View[] a, View[] b, View[] out) {
        if (out.length != 2 || Parallel.threads() != 2) {
            return false;
        }
        long w0 = oneMatrixWork(a[0], out[0]), w1 = oneMatrixWork(a[1], out[1]);
        long less = Math.min(w0, w1), more = Math.max(w0, w1);
        return less >= PARALLEL_GRAIN && more <= less + less / 4;
    }

    /**
     * @return {@code m·n·k} for a single product into contiguous memory that one thread does well
     *     alone, else -1. Batches split their own way. A shallow product ({@code k < 128}) whose C
     *     outgrows L2 is bound by writing C, which one core does more slowly than two: paired, a
     *     CNN's 288×64·64×12544 column gradient made its pair 2–3% slower, a 3136→128 linear
     *     layer's 128×64·64×3136 weight gradient 0–10%, where 512×64·64×512 (C 1 MiB) gained.
     */
    private static long oneMatrixWork(View a, View out) {
        int r = out.rank();
        if (!out.isContiguous() || Odometer.count(Arrays.copyOf(out.shape(), r - 2)) != 1) {
            return -1;
        }
        long cells = (long) out.shape()[r - 2] * out.shape()[r - 1];
        int k = a.shape()[r - 1];
        long cBytes = cells * out.buffer().dtype().byteSize();
        return k < 128 && cBytes > GemmShape.L2 ? -1 : cells * k;
    }

    /** One batched product, its large matrices split between the threads when {@code parallel}. */
    private static void matmul(View a, View b, View out, boolean parallel) {
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
        if (parallel && count > 1 && work < PARALLEL_GRAIN) {
            int parts = Parallel.parts(work * count, PARALLEL_GRAIN);
            Parallel.blocks(count, parts, i -> one(a, b, c, offsets[i], m, n, k, false));
        } else {
            for (int[] off : offsets) {
                one(a, b, c, off, m, n, k, parallel);
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
        int parts;
        // C a column and A column-major (a matrix-vector product with a transposed matrix): compute
        // Cᵀ = Bᵀ·Aᵀ, whose one row is C's memory and whose B operand is Aᵀ, row-major.
        boolean column = n == 1 && ars == 1 && acs != 1;
        if (column && hc.dtype() == DType.F32) {
            SgemmDirect.gemm(1, m, k, new Sgemm.Operand(hb.f32, off[1], bcs, brs), new Sgemm.Operand(ha.f32, off[0], acs,
                    ars), hc.f32, off[2], m);
        } else if (column) {
            DgemmDirect.gemm(1, m, k, new Dgemm.Operand(hb.f64, off[1], bcs, brs), new Dgemm.Operand(ha.f64, off[0], acs,
                    ars), hc.f64, off[2], m);
        } else if (hc.dtype() == DType.F32) {
            Sgemm.Operand oa = new Sgemm.Operand(ha.f32, off[0], ars, acs);
            Sgemm.Operand ob = new Sgemm.Operand(hb.f32, off[1], brs, bcs);
            if (acs == 1 && brs == 1 && k >= 64 && (m <= DOT_MAX_ROWS || n < Sgemm.NR)) {
                split(m, n, k, parallel, 4, 4, (i0, i1, j0, j1) -> DotGemm.gemm(i0, i1, j0, j1, k, ha.f32, off[0], ars,
                        hb.f32, off[1], bcs, hc.f32, off[2], n));
            } else if ((long) m * n * k <= DIRECT_LIMIT || m < Sgemm.MR) {
                SgemmDirect.gemm(m, n, k, oa, ob, hc.f32, off[2], n);
            } else if ((parts = sharedParts(m, n, k, parallel, Sgemm.MR, Sgemm.NR)) > 1) {
                SgemmParallel.gemm(m, n, k, oa, ob, hc.f32, off[2], n, parts);
            } else {
                split(m, n, k, parallel, Sgemm.MR, Sgemm.NR, (i0, i1, j0, j1) -> Sgemm.gemm(i0, i1, j0, j1, k, oa, ob,
                        hc.f32, off[2], n));
            }
        } else {
            Dgemm.Operand oa = new Dgemm.Operand(ha.f64, off[0], ars, acs);
            Dgemm.Operand ob = new Dgemm.Operand(hb.f64, off[1], brs, bcs);
            if ((long) m * n * k <= DIRECT_LIMIT || m < Dgemm.MR) {
                DgemmDirect.gemm(m, n, k, oa, ob, hc.f64, off[2], n);
            } else if ((parts = sharedParts(m, n, k, parallel, Dgemm.MR, Dgemm.NR)) > 1) {
                DgemmParallel.gemm(m, n, k, oa, ob, hc.f64, off[2], n, parts);
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
     * @return how many threads share a packed product's packed operands ({@link SgemmParallel#gemm}),
     *     or 1 when it is too small to split or has fewer than two micro-kernel tiles ({@code mr}
     *     rows, {@code nr} columns) per thread either way, in which case {@link #split} cuts it
     */
    private static int sharedParts(int m, int n, int k, boolean parallel, int mr, int nr) {
        int parts = parallel ? Parallel.parts((long) m * n * k, PARALLEL_GRAIN) : 1;
        return parts > 1 && (m >= parts * 2 * mr || n >= parts * 2 * nr) ? parts : 1;
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

    /**
     * Cuts {@code [0, extent)} into pieces for threads that claim them in order, as
     * {@code [from, to)} pairs by claim: pieces {@code size} wide (a multiple of {@code unit}), but the
     * last {@code parts} pieces' worth cut in quarters (each a multiple of {@code unit}, the one at
     * {@code extent} clipped to it). A thread that finishes its last piece while another is still on
     * one waits for that piece's rest; small last pieces keep that wait short (2048³ on two threads:
     * 0.4–0.7 ms waiting at the end of each group of blocks with quarters, 0.5–1.6 ms without).
     *
     * @param ends with {@code true} the claims alternate between the two ends of the range, meeting in
     *             the middle (where the small pieces are), so that the threads' pieces are not
     *             neighbours until the end; with {@code false} they run from 0 up
     * @return {@code 2 · pieces} ints, claim c's piece being {@code [r[2c], r[2c + 1])}
     */
    static int[] pieces(int extent, int unit, int size, int parts, boolean ends) {
        int units = (extent + unit - 1) / unit, big = Math.max(1, size / unit), small = Math.max(1, big / 4);
        int head = Math.max(0, (units - parts * big) / big), count = head + (units - head * big + small - 1) / small;
        int[] r = new int[2 * count];
        int left = 0, right = units;
        for (int c = 0; c < count; c++) {
            int w = c < head ? big : small;
            boolean fromLeft = !ends || (c & 1) == 0 || c == count - 1;
            int from = fromLeft ? left : Math.max(left, right - w), to = fromLeft ? Math.min(right, left + w) : right;
            if (fromLeft) {
                left = to;
            } else {
                right = from;
            }
            r[2 * c] = Math.min(extent, from * unit);
            r[2 * c + 1] = Math.min(extent, to * unit);
        }
        return r;
    }

    private static int roundUp(int v, int unit) {
        return (v + unit - 1) / unit * unit;
    }
}
