package dev.jgrad.backend.cpu;

import dev.jgrad.backend.Odometer;
import dev.jgrad.backend.View;
import java.util.Arrays;

/**
 * Reduces a strided n-d iteration over several operands to rows: dims are merged where every
 * operand is linear across them, then an {@link Odometer} walks all dims but the last, and a kernel
 * runs on each row with the operands' innermost strides. A contiguous tensor becomes one row; a
 * bias add over {@code [N, C]} becomes N rows of C.
 */
final class Rows {
    /** Row length. */
    final int length;
    /** Per operand, the stride along the row. */
    final int[] innerStrides;
    private final int[] outerShape;
    private final int[][] outerStrides;
    private final int[] offsets;

    private Rows(int length, int[] innerStrides, int[] outerShape, int[][] outerStrides, int[] offsets) {
        this.length = length;
        this.innerStrides = innerStrides;
        this.outerShape = outerShape;
        this.outerStrides = outerStrides;
        this.offsets = offsets;
    }

    /** Row visitor: operand offsets at the row start. */
    interface RowKernel {
        void row(int[] offsets);
    }

    static Rows of(int[] shape, View... views) {
        int k = views.length;
        int[] dims = new int[shape.length];
        int[][] strides = new int[k][shape.length];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = r > 0;
            for (int v = 0; v < k && merge; v++) {
                merge = strides[v][r - 1] == views[v].strides()[d] * shape[d];
            }
            if (merge) {
                dims[r - 1] *= shape[d];
                for (int v = 0; v < k; v++) {
                    strides[v][r - 1] = views[v].strides()[d];
                }
            } else {
                dims[r] = shape[d];
                for (int v = 0; v < k; v++) {
                    strides[v][r] = views[v].strides()[d];
                }
                r++;
            }
        }
        int[] offsets = new int[k];
        int[] inner = new int[k];
        int[][] outer = new int[k][];
        for (int v = 0; v < k; v++) {
            offsets[v] = views[v].offset();
            inner[v] = r == 0 ? 1 : strides[v][r - 1];
            outer[v] = Arrays.copyOf(strides[v], Math.max(r - 1, 0));
        }
        int length = r == 0 ? 1 : dims[r - 1];
        return new Rows(length, inner, Arrays.copyOf(dims, Math.max(r - 1, 0)), outer, offsets);
    }

    /** @return the number of rows */
    int count() {
        return Odometer.count(outerShape);
    }

    /** @return the operands' offsets at the first row */
    int[] start() {
        return offsets.clone();
    }

    /** Calls {@code kernel} once per row, in order. */
    void forEach(RowKernel kernel) {
        Odometer it = new Odometer(outerShape, outerStrides, offsets);
        do {
            kernel.row(it.offsets);
        } while (it.next());
    }
}
