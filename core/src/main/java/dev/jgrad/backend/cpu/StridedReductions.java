package dev.jgrad.backend.cpu;

import dev.jgrad.DType;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.Odometer;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.View;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions of any layout and dtype, for what {@link Reductions}' F32 fast paths do not cover
 * (F64, strided views, reductions over middle axes, empty inputs). Each output element walks its
 * reduced sub-space as segments along the innermost reduced axis; a unit-stride segment runs in
 * vector lanes (F32 through {@link Reductions}, F64 here), others element by element. Sums
 * accumulate in double; MAX and MIN propagate NaN; ARGMAX and ARGMIN return the first position of
 * the extreme, a NaN counting as the extreme. An empty reduction gives 0 for SUM and the indices,
 * NaN for MAX and MIN.
 */
final class StridedReductions {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private StridedReductions() {
    }

    static void reduce(ReduceOp op, View in, int[] axes, View out) {
        int rank = in.rank();
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            reduced[a] = true;
        }
        int kr = rank - axes.length, rr = Math.max(0, axes.length - 1);
        int[] keptShape = new int[kr], keptX = new int[kr], keptO = new int[kr];
        int[] outerShape = new int[rr], outerX = new int[rr];
        int segLen = 1, segStride = 0;
        for (int d = 0, k = 0, r = 0; d < rank; d++) {
            if (!reduced[d]) {
                keptShape[k] = in.shape()[d];
                keptX[k] = in.strides()[d];
                keptO[k++] = out.strides()[d];
            } else if (r < rr) {
                outerShape[r] = in.shape()[d];
                outerX[r++] = in.strides()[d];
            } else {
                segLen = in.shape()[d];
                segStride = in.strides()[d];
            }
        }
        if (Odometer.count(keptShape) == 0) {
            return;
        }
        boolean empty = in.numel() == 0;
        HeapBuffer x = (HeapBuffer) in.buffer(), o = (HeapBuffer) out.buffer();
        Odometer each = new Odometer(keptShape, new int[][] {keptX, keptO}, new int[] {in.offset(), out.offset()});
        Accumulator acc = new Accumulator(op);
        do {
            acc.reset();
            if (!empty) {
                Odometer seg = new Odometer(outerShape, new int[][] {outerX}, new int[] {each.offsets[0]});
                do {
                    acc.segment(x, seg.offsets[0], segStride, segLen);
                } while (seg.next());
            }
            acc.store(o, each.offsets[1], empty);
        } while (each.next());
    }

    /** The running state of one output element. */
    private static final class Accumulator {
        private final ReduceOp op;
        private double value;
        private long pos;
        private long seen;

        Accumulator(ReduceOp op) {
            this.op = op;
        }

        void reset() {
            value = 0;
            pos = 0;
            seen = 0;
        }

        /** Folds in {@code len} elements starting at {@code off}, {@code stride} apart. */
        void segment(HeapBuffer x, int off, int stride, int len) {
            if (stride == 1 && !op.yieldsIndex() && x.dtype() != DType.I64) {
                double v = x.dtype() == DType.F32 ? rowF32(x.f32, off, len) : rowF64(x.f64, off, len);
                fold(v, seen == 0);
                seen += len;
                return;
            }
            for (int i = 0; i < len; i++) {
                double v = x.get(off + i * stride);
                if (op.yieldsIndex()) {
                    if (seen == 0 || better(v)) {
                        value = v;
                        pos = seen;
                    }
                } else {
                    fold(v, seen == 0);
                }
                seen++;
            }
        }

        private double rowF32(float[] x, int off, int len) {
            return switch (op) {
                case SUM -> Reductions.sum(x, off, len);
                case MAX -> Reductions.max(x, off, len);
                default -> Reductions.min(x, off, len);
            };
        }

        private double rowF64(double[] x, int off, int len) {
            return switch (op) {
                case SUM -> sum(x, off, len);
                case MAX -> {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < len; i++) {
                        m = Math.max(m, x[off + i]);
                    }
                    yield m;
                }
                default -> {
                    double m = Double.POSITIVE_INFINITY;
                    for (int i = 0; i < len; i++) {
                        m = Math.min(m, x[off + i]);
                    }
                    yield m;
                }
            };
        }

        private void fold(double v, boolean first) {
            value = switch (op) {
                case SUM -> value + v;
                case MAX -> first ? v : Math.max(value, v);
                default -> first ? v : Math.min(value, v);
            };
        }

        /** Strictly better than the current extreme; a NaN beats everything but an earlier NaN. */
        private boolean better(double v) {
            if (Double.isNaN(value)) {
                return false;
            }
            return Double.isNaN(v) || (op == ReduceOp.ARGMAX ? v > value : v < value);
        }

        void store(HeapBuffer o, int at, boolean empty) {
            if (op.yieldsIndex()) {
                o.i64[at] = pos;
            } else {
                o.set(at, empty && op != ReduceOp.SUM ? Double.NaN : value);
            }
        }
    }

    /** F64 sum in two vector accumulators; the order differs from a scalar loop only in rounding. */
    static double sum(double[] x, int off, int n) {
        DoubleVector a0 = DoubleVector.zero(D), a1 = DoubleVector.zero(D);
        int l = D.length(), i = 0;
        for (int b = n - n % (2 * l); i < b; i += 2 * l) {
            a0 = a0.add(DoubleVector.fromArray(D, x, off + i));
            a1 = a1.add(DoubleVector.fromArray(D, x, off + i + l));
        }
        double s = LaneSum.of(a0.add(a1));
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }
}
