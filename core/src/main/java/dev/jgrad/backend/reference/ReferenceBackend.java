package dev.jgrad.backend.reference;

import dev.jgrad.DType;
import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.HeapBackend;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.Odometer;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.View;
import dev.jgrad.backend.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The oracle: scalar loops over {@link Odometer} in double precision, with no fast paths, so that
 * each primitive is obviously right. Every other backend is tested against this one.
 */
public final class ReferenceBackend extends HeapBackend {
    /** The single instance; it holds no state. */
    public static final ReferenceBackend INSTANCE = new ReferenceBackend();

    private ReferenceBackend() {
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void fill(View out, double value) {
        HeapBuffer o = heap(out);
        if (out.numel() == 0) {
            return;
        }
        Odometer it = Odometer.of(out.shape(), out);
        do {
            o.set(it.offsets[0], value);
        } while (it.next());
    }

    @Override
    public void unary(UnaryOp op, double arg, View in, View out) {
        HeapBuffer i = heap(in);
        HeapBuffer o = heap(out);
        if (out.numel() == 0) {
            return;
        }
        Odometer it = Odometer.of(out.shape(), in, out);
        if (i.dtype() == DType.I64) {
            do {
                o.i64[it.offsets[1]] = i.i64[it.offsets[0]];
            } while (it.next());
            return;
        }
        // Reading every input before writing makes exact aliasing (in-place updates) safe.
        double[] values = new double[out.numel()];
        int n = 0;
        do {
            values[n++] = op.apply(i.get(it.offsets[0]), arg);
        } while (it.next());
        writeAll(values, out);
    }

    @Override
    public void binary(BinaryOp op, View a, View b, View out) {
        HeapBuffer x = heap(a);
        HeapBuffer y = heap(b);
        if (out.numel() == 0) {
            return;
        }
        double[] values = new double[out.numel()];
        Odometer it = Odometer.of(out.shape(), a, b);
        int n = 0;
        do {
            values[n++] = op.apply(x.get(it.offsets[0]), y.get(it.offsets[1]));
        } while (it.next());
        writeAll(values, out);
    }

    @Override
    public void where(View cond, View a, View b, View out) {
        HeapBuffer c = heap(cond);
        HeapBuffer x = heap(a);
        HeapBuffer y = heap(b);
        if (out.numel() == 0) {
            return;
        }
        if (x.dtype() == DType.I64) {
            whereLong(c, x, y, cond, a, b, out);
            return;
        }
        double[] values = new double[out.numel()];
        Odometer it = Odometer.of(out.shape(), cond, a, b);
        int n = 0;
        do {
            values[n++] = c.get(it.offsets[0]) != 0 ? x.get(it.offsets[1]) : y.get(it.offsets[2]);
        } while (it.next());
        writeAll(values, out);
    }

    /** I64 selection in {@code long}: a detour through double would round values beyond 2^53. */
    private static void whereLong(HeapBuffer c, HeapBuffer x, HeapBuffer y, View cond, View a, View b, View out) {
        long[] values = new long[out.numel()];
        Odometer it = Odometer.of(out.shape(), cond, a, b);
        int n = 0;
        do {
            values[n++] = c.get(it.offsets[0]) != 0 ? x.i64[it.offsets[1]] : y.i64[it.offsets[2]];
        } while (it.next());
        long[] o = heap(out).i64;
        Odometer w = Odometer.of(out.shape(), out);
        n = 0;
        do {
            o[w.offsets[0]] = values[n++];
        } while (w.next());
    }

    private static void writeAll(double[] values, View out) {
        HeapBuffer o = heap(out);
        Odometer it = Odometer.of(out.shape(), out);
        int n = 0;
        do {
            o.set(it.offsets[0], values[n++]);
        } while (it.next());
    }

    @Override
    public void reduce(ReduceOp op, View in, int[] axes, View out) {
        int rank = in.rank();
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            reduced[a] = true;
        }
        int[] outShape = out.shape();
        int[] accStrides = View.contiguousStrides(outShape);
        int[] posStrides = new int[rank];
        int step = 1;
        for (int d = rank - 1; d >= 0; d--) {
            if (reduced[d]) {
                accStrides[d] = 0;
                posStrides[d] = step;
                step *= in.shape()[d];
            }
        }
        double[] acc = new double[Odometer.count(outShape)];
        long[] pos = new long[acc.length];
        boolean[] seen = new boolean[acc.length];
        HeapBuffer src = heap(in);
        if (in.numel() > 0) {
            Odometer it = new Odometer(in.shape(), new int[][] {in.strides(), accStrides, posStrides},
                    new int[] {in.offset(), 0, 0});
            do {
                accumulate(op, acc, pos, seen, it.offsets[1], src.get(it.offsets[0]), it.offsets[2]);
            } while (it.next());
        }
        if (op.yieldsIndex()) {
            double[] asDouble = new double[pos.length];
            Arrays.setAll(asDouble, k -> pos[k]);
            acc = asDouble;
        } else if (op != ReduceOp.SUM && in.numel() == 0) {
            Arrays.fill(acc, Double.NaN);
        }
        if (acc.length > 0) {
            writeAll(acc, out);
        }
    }

    private static void accumulate(ReduceOp op, double[] acc, long[] pos, boolean[] seen, int k, double v, int p) {
        if (op == ReduceOp.SUM) {
            acc[k] += v;
            return;
        }
        boolean better = switch (op) {
            case MAX, ARGMAX -> v > acc[k] || (Double.isNaN(v) && !Double.isNaN(acc[k]));
            default -> v < acc[k] || (Double.isNaN(v) && !Double.isNaN(acc[k]));
        };
        if (!seen[k] || better) {
            seen[k] = true;
            acc[k] = v;
            pos[k] = p;
        }
    }

    @Override
    public void matmul(View a, View b, View out) {
        int r = out.rank();
        int m = out.shape()[r - 2];
        int n = out.shape()[r - 1];
        int k = a.shape()[r - 1];
        int[] batch = Arrays.copyOf(out.shape(), r - 2);
        HeapBuffer x = heap(a);
        HeapBuffer y = heap(b);
        HeapBuffer o = heap(out);
        if (Odometer.count(batch) == 0 || m == 0 || n == 0) {
            return;
        }
        Odometer it = Odometer.of(batch, a, b, out);
        int am = a.strides()[r - 2], ak = a.strides()[r - 1];
        int bk = b.strides()[r - 2], bn = b.strides()[r - 1];
        int om = out.strides()[r - 2], on = out.strides()[r - 1];
        do {
            int ao = it.offsets[0], bo = it.offsets[1], oo = it.offsets[2];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += x.get(ao + i * am + p * ak) * y.get(bo + p * bk + j * bn);
                    }
                    o.set(oo + i * om + j * on, s);
                }
            }
        } while (it.next());
    }

    @Override
    public void gather(View in, int dim, View index, View out) {
        HeapBuffer src = heap(in);
        HeapBuffer idx = heap(index);
        HeapBuffer o = heap(out);
        if (out.numel() == 0) {
            return;
        }
        int[] inStrides = in.strides().clone();
        int dimStride = inStrides[dim];
        inStrides[dim] = 0;
        Odometer it = new Odometer(index.shape(), new int[][] {index.strides(), out.strides(), inStrides},
                new int[] {index.offset(), out.offset(), in.offset()});
        if (o.dtype() == DType.I64) {
            do {
                o.i64[it.offsets[1]] = src.i64[it.offsets[2] + (int) idx.i64[it.offsets[0]] * dimStride];
            } while (it.next());
            return;
        }
        do {
            o.set(it.offsets[1], src.get(it.offsets[2] + (int) idx.i64[it.offsets[0]] * dimStride));
        } while (it.next());
    }

    @Override
    public void scatterAdd(View src, int dim, View index, View out) {
        HeapBuffer s = heap(src);
        HeapBuffer idx = heap(index);
        HeapBuffer o = heap(out);
        if (src.numel() == 0) {
            return;
        }
        int[] outStrides = out.strides().clone();
        int dimStride = outStrides[dim];
        outStrides[dim] = 0;
        Odometer it = new Odometer(index.shape(), new int[][] {index.strides(), src.strides(), outStrides},
                new int[] {index.offset(), src.offset(), out.offset()});
        do {
            int target = it.offsets[2] + (int) idx.i64[it.offsets[0]] * dimStride;
            o.set(target, o.get(target) + s.get(it.offsets[1]));
        } while (it.next());
    }

    @Override
    public void unfold(View x, Window w, View out) {
        HeapBuffer src = heap(x), dst = heap(out);
        int[] s = out.shape();
        int h = x.shape()[2], wd = x.shape()[3];
        for (int[] i : WindowIndex.all(s)) {
            int row = i[4] * w.strideH() - w.padH() + i[2] * w.dilationH();
            int col = i[5] * w.strideW() - w.padW() + i[3] * w.dilationW();
            boolean inside = row >= 0 && row < h && col >= 0 && col < wd;
            dst.set(at(out, i), inside ? src.get(at(x, i[0], i[1], row, col)) : 0);
        }
    }

    @Override
    public void fold(View cols, Window w, View out) {
        HeapBuffer src = heap(cols), dst = heap(out);
        int h = out.shape()[2], wd = out.shape()[3];
        double[] sums = new double[out.numel()];
        int[] strides = View.contiguousStrides(out.shape());
        for (int[] i : WindowIndex.all(cols.shape())) {
            int row = i[4] * w.strideH() - w.padH() + i[2] * w.dilationH();
            int col = i[5] * w.strideW() - w.padW() + i[3] * w.dilationW();
            if (row >= 0 && row < h && col >= 0 && col < wd) {
                sums[i[0] * strides[0] + i[1] * strides[1] + row * strides[2] + col * strides[3]] += src.get(at(cols, i));
            }
        }
        if (sums.length > 0) {
            writeAll(sums, out);
        }
    }

    @Override
    public void pool2d(boolean max, View x, Window w, View out, View argmax) {
        HeapBuffer src = heap(x), dst = heap(out);
        int h = x.shape()[2], wd = x.shape()[3];
        for (int[] i : WindowIndex.all(out.shape())) {
            double best = max ? Double.NEGATIVE_INFINITY : 0;
            int where = -1;
            for (int ki = 0; ki < w.kernelH(); ki++) {
                for (int kj = 0; kj < w.kernelW(); kj++) {
                    int row = i[2] * w.strideH() - w.padH() + ki * w.dilationH();
                    int col = i[3] * w.strideW() - w.padW() + kj * w.dilationW();
                    if (row < 0 || row >= h || col < 0 || col >= wd) {
                        continue;
                    }
                    double v = src.get(at(x, i[0], i[1], row, col));
                    if (!max) {
                        best += v;
                    } else if (where < 0 || v > best || (Double.isNaN(v) && !Double.isNaN(best))) {
                        best = v;
                        where = row * wd + col;
                    }
                }
            }
            dst.set(at(out, i), max ? best : best / (w.kernelH() * w.kernelW()));
            if (max) {
                heap(argmax).i64[at(argmax, i)] = where;
            }
        }
    }

    /** @return the buffer offset of element {@code index} of {@code v} */
    private static int at(View v, int... index) {
        int o = v.offset();
        for (int d = 0; d < index.length && d < v.rank(); d++) {
            o += index[d] * v.strides()[d];
        }
        return o;
    }

    /** Every index of a shape in row-major order; the oracle favours plainness over speed. */
    private static final class WindowIndex {
        static List<int[]> all(int[] shape) {
            List<int[]> out = new ArrayList<>();
            if (Odometer.count(shape) == 0) {
                return out;
            }
            int[] i = new int[shape.length];
            while (true) {
                out.add(i.clone());
                int d = shape.length - 1;
                while (d >= 0 && ++i[d] == shape[d]) {
                    i[d--] = 0;
                }
                if (d < 0) {
                    return out;
                }
            }
        }
    }

    private static HeapBuffer heap(View v) {
        return (HeapBuffer) v.buffer();
    }
}
