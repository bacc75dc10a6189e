package dev.jgrad.backend.cpu;

import dev.jgrad.DType;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.UpdateStep;
import dev.jgrad.backend.View;
import java.util.Arrays;

/**
 * The multi-tensor driver of the fused optimizer updates: all rows of one step are laid end to end
 * as one index range, which is cut into one chunk per thread (or run on the caller when small), so
 * 200 small parameters cost one dispatch, not 200, and one large parameter is split across threads.
 * Each chunk walks the rows it covers and runs {@link FloatUpdates} / {@link DoubleUpdates} on
 * each piece.
 */
final class Updates {
    private Updates() {
    }

    /** @return whether every operand of the row is a contiguous view of one float dtype (the fused kernels' layout) */
    static boolean fusable(View[] row) {
        DType t = row[0].buffer().dtype();
        for (View v : row) {
            if (!v.isContiguous() || v.buffer().dtype() != t) {
                return false;
            }
        }
        return t == DType.F32 || t == DType.F64;
    }

    /**
     * Runs {@code step} over every row, each {@link #fusable}, holding at most
     * {@code Integer.MAX_VALUE} elements in all.
     */
    static void run(UpdateStep step, View[][] rows) {
        int[] start = new int[rows.length + 1];
        for (int r = 0; r < rows.length; r++) {
            start[r + 1] = Math.addExact(start[r], rows[r][0].numel());
        }
        // Plain loops, not streams: this runs once per parameter per step (the multi-tensor overhead).
        int[][] offsets = new int[rows.length][];
        Object[] arrays = new Object[rows.length];
        for (int r = 0; r < rows.length; r++) {
            offsets[r] = new int[rows[r].length];
            arrays[r] = arraysOf(rows[r], offsets[r]);
        }
        Parallel.chunks(start[rows.length], Parallel.STREAM_GRAIN, (from, to) -> {
            int r = row(start, from);
            for (int at = from; at < to; r++) {
                int lo = at - start[r], hi = Math.min(to, start[r + 1]) - start[r];
                if (hi > lo) {
                    if (arrays[r] instanceof float[][] a) {
                        FloatUpdates.apply(step, a, offsets[r], lo, hi - lo);
                    } else {
                        DoubleUpdates.apply(step, (double[][]) arrays[r], offsets[r], lo, hi - lo);
                    }
                }
                at = start[r] + hi;
            }
        });
    }

    /** @return the row's float[][] or double[][] arrays, filling in each view's offset */
    private static Object arraysOf(View[] row, int[] offsets) {
        boolean f32 = row[0].buffer().dtype() == DType.F32;
        float[][] fa = f32 ? new float[row.length][] : null;
        double[][] da = f32 ? null : new double[row.length][];
        for (int k = 0; k < row.length; k++) {
            HeapBuffer b = (HeapBuffer) row[k].buffer();
            offsets[k] = row[k].offset();
            if (f32) {
                fa[k] = b.f32;
            } else {
                da[k] = b.f64;
            }
        }
        return f32 ? fa : da;
    }

    /** @return the row holding global element {@code at}: the last r with start[r] <= at (skipping empty rows) */
    private static int row(int[] start, int at) {
        int i = Arrays.binarySearch(start, 0, start.length - 1, at);
        if (i < 0) {
            return -i - 2;
        }
        while (i + 1 < start.length - 1 && start[i + 1] == at) {
            i++;
        }
        return i;
    }
}
