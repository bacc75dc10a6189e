package dev.jgrad.backend.cpu;

import dev.jgrad.DType;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.View;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 reductions over contiguous data, for the two layouts training produces: reducing trailing
 * axes (row sums, softmax maxima, argmax over classes) and reducing leading axes (bias gradients
 * summed over the batch). Other layouts and F64 go to {@link StridedReductions}.
 *
 * <p>Sums are blocked: each block of {@value #BLOCK} elements is summed in F32 vector lanes and
 * the block sums are added in double, so a row of 10^7 elements keeps about F32 precision instead
 * of drifting with its length.
 */
final class Reductions {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int BLOCK = 4096;

    private Reductions() {
    }

    static void reduce(ReduceOp op, View in, int[] axes, View out) {
        if (isTransposedMatrix(in) && (axes.length == 1 || axes.length == 2 && !op.yieldsIndex())
                && out.isContiguous() && in.buffer().dtype() == DType.F32) {
            // The transpose of a contiguous matrix: reduce the matrix itself over the other axis (a
            // column sum becomes a row sum); the output, a vector, has the same memory either way.
            // Not for no axes (the output is a matrix) nor for positions over both axes (row-major
            // positions differ between the two orders).
            int[] shape = {in.shape()[1], in.shape()[0]};
            int[] swapped = new int[axes.length];
            for (int i = 0; i < axes.length; i++) {
                swapped[axes.length - 1 - i] = 1 - axes[i];
            }
            int[] outShape = {out.shape()[1], out.shape()[0]};
            reduce(op, new View(in.buffer(), in.offset(), shape, View.contiguousStrides(shape)), swapped,
                    new View(out.buffer(), out.offset(), outShape, View.contiguousStrides(outShape)));
            return;
        }
        if (in.buffer().dtype() != DType.F32 || !in.isContiguous() || !out.isContiguous() || in.numel() == 0) {
            StridedReductions.reduce(op, in, axes, out);
            return;
        }
        int rank = in.rank();
        int reduced = 1;
        for (int ax : axes) {
            reduced *= in.shape()[ax];
        }
        int outer = in.numel() / reduced;
        float[] x = ((HeapBuffer) in.buffer()).f32;
        HeapBuffer o = (HeapBuffer) out.buffer();
        int io = in.offset(), oo = out.offset(), n = reduced;
        if (isSuffix(axes, rank) && outer == 1 && op == ReduceOp.SUM) {
            // One sum over everything (a loss): its blocks split across threads, added up in order
            o.f32[oo] = (float) sumInParallel(x, io, n);
        } else if (isSuffix(axes, rank)) {
            // Rows split across threads (each row stays on one thread, so results do not depend on
            // the thread count).
            Parallel.chunks(outer, Math.max(1, Parallel.STREAM_GRAIN / n), (from, to) -> {
                for (int i = from; i < to; i++) {
                    rowReduce(op, x, io + i * n, n, o, oo + i);
                }
            });
        } else if (isPrefix(axes) && op == ReduceOp.SUM) {
            // Columns split across threads; each column's sum is computed in one order regardless.
            Parallel.chunks(outer, Math.max(1, Parallel.STREAM_GRAIN / n), (from, to) ->
                    columnSums(x, io + from, n, outer, to - from, o.f32, oo + from));
        } else {
            StridedReductions.reduce(op, in, axes, out);
        }
    }

    private static boolean isTransposedMatrix(View v) {
        return v.rank() == 2 && v.shape()[0] > 1 && v.shape()[1] > 1 && v.strides()[0] == 1
                && v.strides()[1] == v.shape()[0];
    }

    private static boolean isSuffix(int[] axes, int rank) {
        for (int i = 0; i < axes.length; i++) {
            if (axes[i] != rank - axes.length + i) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPrefix(int[] axes) {
        for (int i = 0; i < axes.length; i++) {
            if (axes[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static void rowReduce(ReduceOp op, float[] x, int off, int n, HeapBuffer o, int at) {
        switch (op) {
            case SUM -> o.f32[at] = (float) sum(x, off, n);
            case MAX -> o.f32[at] = max(x, off, n);
            case MIN -> o.f32[at] = min(x, off, n);
            case ARGMAX -> o.i64[at] = firstIndexOf(x, off, n, max(x, off, n));
            case ARGMIN -> o.i64[at] = firstIndexOf(x, off, n, min(x, off, n));
        }
    }

    /** Blocked sum: F32 lanes within a block, double across blocks. */
    static double sum(float[] x, int off, int n) {
        double total = 0;
        for (int s = 0; s < n; s += BLOCK) {
            total += block(x, off + s, Math.min(BLOCK, n - s));
        }
        return total;
    }

    /**
     * {@link #sum}, its blocks computed on all threads when {@code n} is large, then added in the
     * same order: the result is bit for bit {@code sum}'s, whatever the thread count.
     */
    static double sumInParallel(float[] x, int off, int n) {
        int parts = Parallel.parts(n, Parallel.STREAM_GRAIN / 2);
        if (parts == 1) {
            return sum(x, off, n);
        }
        int blocks = (n + BLOCK - 1) / BLOCK;
        double[] partial = new double[blocks];
        Parallel.blocks(blocks, parts, b -> partial[b] = block(x, off + b * BLOCK, Math.min(BLOCK, n - b * BLOCK)));
        double total = 0;
        for (double v : partial) {
            total += v;
        }
        return total;
    }

    /** One block of {@link #sum}: two F32 vector accumulators, then the tail. */
    private static double block(float[] x, int base, int len) {
        FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
        int i = 0;
        for (int b = len - len % (2 * L); i < b; i += 2 * L) {
            acc0 = acc0.add(FloatVector.fromArray(S, x, base + i));
            acc1 = acc1.add(FloatVector.fromArray(S, x, base + i + L));
        }
        double block = LaneSum.of(acc0.add(acc1));
        for (; i < len; i++) {
            block += x[base + i];
        }
        return block;
    }

    /**
     * NaN-propagating maximum (vector max behaves like {@link Math#max}). Four accumulators: one
     * chain of dependent max operations ran at 60% of memory bandwidth.
     */
    static float max(float[] x, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (n >= 4 * L) {
            FloatVector a0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), a1 = a0, a2 = a0, a3 = a0;
            for (int b = n - n % (4 * L); i < b; i += 4 * L) {
                a0 = a0.max(FloatVector.fromArray(S, x, off + i));
                a1 = a1.max(FloatVector.fromArray(S, x, off + i + L));
                a2 = a2.max(FloatVector.fromArray(S, x, off + i + 2 * L));
                a3 = a3.max(FloatVector.fromArray(S, x, off + i + 3 * L));
            }
            m = a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    /** The NaN-propagating minimum, as {@link #max}. */
    static float min(float[] x, int off, int n) {
        float m = Float.POSITIVE_INFINITY;
        int i = 0;
        if (n >= 4 * L) {
            FloatVector a0 = FloatVector.broadcast(S, Float.POSITIVE_INFINITY), a1 = a0, a2 = a0, a3 = a0;
            for (int b = n - n % (4 * L); i < b; i += 4 * L) {
                a0 = a0.min(FloatVector.fromArray(S, x, off + i));
                a1 = a1.min(FloatVector.fromArray(S, x, off + i + L));
                a2 = a2.min(FloatVector.fromArray(S, x, off + i + 2 * L));
                a3 = a3.min(FloatVector.fromArray(S, x, off + i + 3 * L));
            }
            m = a0.min(a1).min(a2.min(a3)).reduceLanes(VectorOperators.MIN);
        }
        for (; i < n; i++) {
            m = Math.min(m, x[off + i]);
        }
        return m;
    }

    /** The first position holding {@code v} (a NaN {@code v} matches the first NaN). */
    private static long firstIndexOf(float[] x, int off, int n, float v) {
        int i = 0;
        if (!Float.isNaN(v)) {
            for (int b = S.loopBound(n); i < b; i += L) {
                VectorMask<Float> hit = FloatVector.fromArray(S, x, off + i).compare(VectorOperators.EQ, v);
                if (hit.anyTrue()) {
                    return i + hit.firstTrue();
                }
            }
        }
        for (; i < n; i++) {
            float e = x[off + i];
            if (e == v || (Float.isNaN(v) && Float.isNaN(e))) {
                return i;
            }
        }
        return 0;
    }

    /**
     * {@code o[j] = sum_i x[i*ld + j]} for {@code j < cols}: rows added as vectors, flushed to
     * double every block.
     */
    private static void columnSums(float[] x, int off, int rows, int ld, int cols, float[] o, int oo) {
        double[] total = new double[cols];
        float[] acc = new float[cols];
        int bound = S.loopBound(cols);
        for (int i = 0; i < rows; i++) {
            int row = off + i * ld;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(S, acc, j).add(FloatVector.fromArray(S, x, row + j)).intoArray(acc, j);
            }
            for (; j < cols; j++) {
                acc[j] += x[row + j];
            }
            if ((i + 1) % BLOCK == 0 || i == rows - 1) {
                for (int c = 0; c < cols; c++) {
                    total[c] += acc[c];
                    acc[c] = 0f;
                }
            }
        }
        for (int c = 0; c < cols; c++) {
            o[oo + c] = (float) total[c];
        }
    }
}
