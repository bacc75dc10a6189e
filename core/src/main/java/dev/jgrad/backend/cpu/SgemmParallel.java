package dev.jgrad.backend.cpu;

import static dev.jgrad.backend.cpu.Sgemm.depth;
import static dev.jgrad.backend.cpu.Sgemm.inPlace;
import static dev.jgrad.backend.cpu.Sgemm.macroKernel;
import static dev.jgrad.backend.cpu.Sgemm.packA;
import static dev.jgrad.backend.cpu.Sgemm.packB;
import static dev.jgrad.backend.cpu.Sgemm.packs;
import static dev.jgrad.backend.cpu.Sgemm.rowA;
import static dev.jgrad.backend.cpu.Sgemm.slivers;

import dev.jgrad.backend.cpu.Sgemm.Operand;
import dev.jgrad.backend.cpu.Sgemm.Slivers;

/**
 * {@link Sgemm}'s product on several threads, which share the packed operands: for a short A its
 * packed depth slices, the threads claiming column panels of C ({@link #columnPanels}); for a tall
 * A the packed panels of B, the threads claiming row blocks ({@link #rowBlocks}). Each thread
 * packs the other operand into its own buffers, with {@link Sgemm}'s packing and micro-kernels.
 */
final class SgemmParallel {
    private static final int MR = Sgemm.MR;
    private static final int NR = Sgemm.NR;
    private static final int KC = Sgemm.KC;
    private static final int MC = Sgemm.MC;
    private static final int NC = Sgemm.NC;
    /** The most bytes of packed A depth slices or B panels held at once for the threads (at least one). */
    private static final long GROUP_BYTES = 4 * GemmShape.L2;
    /** The calling thread's buffer for packed A slices or B panels, which the threads share. */
    private static final ThreadLocal<float[][]> SHARED = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    private SgemmParallel() {
    }

    /**
     * {@code C = A·B} on {@code parts} worker threads, which need two micro-kernel tiles each in one
     * dimension at least. Where a depth slice of A fits in L2 (or A is too short to split), it is
     * packed once for all threads and they claim column panels ({@link #columnPanels}); a taller
     * A (or too narrow a C) is cut into row blocks that share each packed B panel
     * ({@link #rowBlocks}).
     */
    static void gemm(int m, int n, int k, Operand a, Operand b, float[] c, int co, int ldc, int parts) {
        boolean wide = n >= parts * 2 * NR, tall = m >= parts * 2 * MR;
        if (wide && (!tall || (long) m * Math.min(KC, k) * Float.BYTES <= GemmShape.L2)) {
            columnPanels(m, n, k, a, b, c, co, ldc, MatMul.pieceSize(n, (long) m * k, parts, NR), parts);
        } else {
            rowBlocks(m, n, k, a, b, c, co, ldc, parts);
        }
    }

    /**
     * The parallel product for a short A: its depth slices are packed once (their row blocks in
     * parallel) into a buffer all threads read, then column panels {@code width} wide (a multiple
     * of NR; the last claimed narrower, {@link MatMul#pieces}), several per thread, are claimed
     * dynamically; each runs all those slices in turn, packing
     * its own slice of B for each, while its block of C is still in L2. Slices are packed
     * {@link #GROUP_BYTES} at a time, so that a deep product waits at two barriers per group rather
     * than two per slice (on the MLP's eight products, below, the same time within noise: best-of
     * sums 60.1 and 60.1 ms against 60.3 and 60.9 with a barrier pair per slice). Splitting
     * C into one fixed half per thread instead packs A on every thread and leaves the faster core
     * idle at the end (measured 9% of a 2-thread MLP step spent waiting). On the eight products
     * of the 1024-2048-2048-1024 MLP step (batch 256) this took 59.6 and 69.4 ms against 60.7 and
     * 71.3 for {@link #rowBlocks} (two runs, best of 20 alternating rounds, two threads,
     * {@code -XX:UseAVX=2}): less on each product with 256 or 1024 rows, more on those with 2048.
     */
    private static void columnPanels(int m, int n, int k, Operand a, Operand b, float[] c, int co, int ldc,
                                     int width, int parts) {
        int[] pieces = MatMul.pieces(n, NR, Math.min(NC, width), parts, true);
        int kMax = Math.min(KC, k), slices = (k + KC - 1) / KC, blocks = (m + MC - 1) / MC;
        int stride = (m + MR - 1) / MR * MR * depth(rowA(a, kMax, n), kMax);
        int group = (int) Math.clamp(GROUP_BYTES / Float.BYTES / stride, 1, slices);
        float[] shared = shared(group * stride);
        for (int s0 = 0; s0 < slices; s0 += group) {
            int first = s0, last = Math.min(slices, s0 + group);
            Parallel.forEach((last - first) * blocks, t -> {
                int pc = (first + t / blocks) * KC, kc = Math.min(KC, k - pc), ic = t % blocks * MC;
                boolean rowA = rowA(a, kc, n);
                packA(a, ic, Math.min(MC, m - ic), pc, kc, rowA, shared, (t / blocks) * stride + ic * depth(rowA, kc));
            });
            // claims alternate between the two ends of C, so that the threads' panels are not
            // neighbours: two panels meet in a cache line of every row of C (rows start 16 bytes
            // into a line), which would bounce between the cores while both write it
            Parallel.forEach(pieces.length / 2, claim -> {
                int j0 = pieces[2 * claim], nc = pieces[2 * claim + 1] - j0;
                float[][] packs = packs(kMax, nc);
                for (int sl = first; sl < last; sl++) {
                    int pc = sl * KC, kc = Math.min(KC, k - pc), base = (sl - first) * stride;
                    boolean rowA = rowA(a, kc, n);
                    int depth = depth(rowA, kc);
                    Slivers sb = slivers(b, pc, kc, k, j0, nc, m, packs[1], rowA);
                    for (int ic = 0; ic < m; ic += MC) {
                        macroKernel(Math.min(MC, m - ic), nc, kc, shared, base + ic * depth, sb, c,
                                co + ic * ldc + j0, ldc, packs[2], pc > 0, rowA);
                    }
                }
            });
        }
    }

    /**
     * The parallel product for a tall A, blocked as {@link Sgemm#gemm} blocks it: the threads pack B's
     * panels (NC columns by KC rows each) together, a share of the slivers each, into a buffer
     * they all read, then claim tasks of a row block of A and a column of panels dynamically, each
     * packing its block into its own buffer just before its macro-kernel, so that the block is in
     * that core's L2 for all of the panel's slivers. The blocks are of equal height (at most MC, a
     * multiple of {@code parts} of them), but the last {@code parts} blocks are cut in quarters
     * ({@link MatMul#pieces}): a thread that runs out of blocks waits for the other's last one, and
     * at 2048³ on two threads under AVX-512 the threads waited 0.4–0.7 ms at the barrier
     * after each group of blocks instead of 0.5–1.6 ms, and the product took 2% less time (median of six
     * alternating runs, 0.99–1.08×); on the MLP's products the change is within noise (0.99–1.00×).
     * Panels are packed {@link #GROUP_BYTES} at a time, so
     * that a shallow product (the weight gradient's {@code dYᵀ·X}, k = batch) waits at two barriers
     * in all and its threads finish within a task of each other, rather than twice per panel
     * (the MLP's 2048×256·256×2048 weight gradient, two threads, {@code -XX:UseAVX=2}: 11.35–11.49
     * against 11.46–11.57 ms, best of three alternating runs each).
     *
     * <p>{@link #columnPanels} would read every block of a tall A's shared slice from L3 or memory
     * for a few slivers: on one thread it ran 2048³ 13% slower than {@link Sgemm#gemm} (193 against
     * 168 ms under {@code -XX:UseAVX=2}), and on two 3–5% slower than this (best of 15 alternating
     * products: 165–166 against 170–174 GFLOP/s).
     */
    private static void rowBlocks(int m, int n, int k, Operand a, Operand b, float[] c, int co, int ldc,
                                  int parts) {
        int kMax = Math.min(KC, k), size = kMax * Math.min(NC, (n + NR - 1) / NR * NR);
        int slices = (k + KC - 1) / KC, panels = (n + NC - 1) / NC * slices;
        int group = (int) Math.clamp(GROUP_BYTES / Float.BYTES / size, 1, panels);
        float[] shared = shared(group * size);
        int blocks = ((m + MC - 1) / MC + parts - 1) / parts * parts;
        int rows = ((m + blocks - 1) / blocks + MR - 1) / MR * MR;
        int[] pieces = MatMul.pieces(m, MR, rows, parts, false);
        int count = pieces.length / 2;
        for (int g0 = 0; g0 < panels; g0 += group) {
            int first = g0, last = Math.min(panels, g0 + group);
            Slivers[] sb = packPanels(a, b, m, n, k, first, last, shared, size, parts);
            int col0 = first / slices, columns = (last - 1) / slices - col0 + 1;
            Parallel.forEach(count * columns, t -> {
                int ic = pieces[t / columns * 2], mc = pieces[t / columns * 2 + 1] - ic, col = col0 + t % columns;
                int jc = col * NC, nc = Math.min(NC, n - jc);
                float[][] packs = packs(kMax, 0);
                // this column's slices in the group, in depth order: the first stores, the later add
                for (int p = Math.max(first, col * slices); p < Math.min(last, (col + 1) * slices); p++) {
                    int pc = p % slices * KC, kc = Math.min(KC, k - pc);
                    boolean rowA = rowA(a, kc, nc);
                    packA(a, ic, mc, pc, kc, rowA, packs[0], 0);
                    macroKernel(mc, nc, kc, packs[0], 0, sb[p - first], c, co + ic * ldc + jc, ldc, packs[2], pc > 0,
                            rowA);
                }
            });
        }
    }

    /**
     * B's panels {@code [first, last)} as slivers, panel p being {@code B[pc:pc+kc, jc:jc+nc]} with
     * {@code jc = p / slices · NC} and {@code pc = p % slices · KC}: each read in place where it may be
     * ({@link Sgemm#inPlace}), else packed into {@code shared} at {@code (p - first) · size} by the threads
     * together, two shares of its slivers per thread, so that a late thread packs less.
     */
    private static Slivers[] packPanels(Operand a, Operand b, int m, int n, int k, int first, int last,
                                        float[] shared, int size, int parts) {
        int slices = (k + KC - 1) / KC, shares = 2 * parts;
        Slivers[] sb = new Slivers[last - first];
        int[] packed = new int[last - first];
        int count = 0;
        for (int p = first; p < last; p++) {
            int jc = p / slices * NC, pc = p % slices * KC, nc = Math.min(NC, n - jc), kc = Math.min(KC, k - pc);
            sb[p - first] = inPlace(b, pc, kc, k, jc, nc, m, rowA(a, kc, nc));
            if (sb[p - first] == null) {
                sb[p - first] = new Slivers(shared, (p - first) * size, kc, NR);
                packed[count++] = p;
            }
        }
        Parallel.forEach(count * shares, t -> {
            int p = packed[t / shares], q = t % shares;
            int jc = p / slices * NC, pc = p % slices * KC, nc = Math.min(NC, n - jc), kc = Math.min(KC, k - pc);
            int slivers = (nc + NR - 1) / NR, per = (slivers + shares - 1) / shares;
            int t0 = q * per * NR, t1 = Math.min(nc, t0 + per * NR);
            if (t0 < t1) {
                packB(b, pc, kc, jc + t0, t1 - t0, shared, (p - first) * size + t0 * kc);
            }
        });
        return sb;
    }

    /** The calling thread's buffer that {@link #gemm}'s threads share, grown to {@code need}. */
    private static float[] shared(int need) {
        float[][] holder = SHARED.get();
        if (holder[0].length < need) {
            holder[0] = new float[need];
        }
        return holder[0];
    }
}
