package dev.jgrad.backend.cpu;

import dev.jgrad.DType;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.View;
import dev.jgrad.backend.Window;
import java.util.Arrays;

/**
 * im2col and col2im on heap buffers. Work is split over the {@code (n, c)} planes, which never
 * share an output element, so fold needs no atomics. Within a plane each window row is one run of
 * {@code oW} elements: the part of the run that lies inside the input is a strided copy (an
 * {@code arraycopy} at stride 1) or, for fold, an add the JIT vectorises; the rest is padding.
 * Any dtype: I64 windows (an unfold of indices) are moved exactly, never through a float.
 */
final class Unfold {
    /** Elements per thread before the planes are split between threads. */
    private static final int GRAIN = 1 << 15;

    private Unfold() {
    }

    static void unfold(View x, Window w, View out) {
        int[] s = out.shape();
        int n = s[0], c = s[1];
        if (out.numel() == 0) {
            return;
        }
        HeapBuffer src = (HeapBuffer) x.buffer(), dst = (HeapBuffer) out.buffer();
        int parts = Parallel.parts(out.numel(), GRAIN);
        Parallel.blocks(n * c, parts, pl -> unfoldPlane(src, x, w, dst, out, pl / c, pl % c));
    }

    private static void unfoldPlane(HeapBuffer src, View x, Window w, HeapBuffer dst, View out, int n, int c) {
        int[] s = out.shape(), os = out.strides(), xs = x.strides();
        int h = x.shape()[2], width = x.shape()[3], oh = s[4], ow = s[5];
        int xBase = x.offset() + n * xs[0] + c * xs[1];
        for (int i = 0; i < s[2]; i++) {
            for (int j = 0; j < s[3]; j++) {
                int shift = j * w.dilationW() - w.padW();
                int qLo = firstInside(shift, w.strideW()), qHi = Math.min(ow, endInside(width, shift, w.strideW()));
                qLo = Math.min(qLo, qHi);
                for (int p = 0; p < oh; p++) {
                    int row = p * w.strideH() - w.padH() + i * w.dilationH();
                    int d = out.offset() + n * os[0] + c * os[1] + i * os[2] + j * os[3] + p * os[4];
                    if (row < 0 || row >= h) {
                        fill(dst, d, os[5], 0, ow, 0);
                        continue;
                    }
                    fill(dst, d, os[5], 0, qLo, 0);
                    copy(src, xBase + row * xs[2] + (qLo * w.strideW() + shift) * xs[3], w.strideW() * xs[3], dst,
                            d + qLo * os[5], os[5], qHi - qLo);
                    fill(dst, d, os[5], qHi, ow, 0);
                }
            }
        }
    }

    static void fold(View cols, Window w, View out) {
        int n = out.shape()[0], c = out.shape()[1];
        if (out.numel() == 0) {
            return;
        }
        if (!out.isContiguous()) {
            View tmp = View.contiguous(HeapBuffer.allocate(CpuBackend.INSTANCE, out.buffer().dtype(), out.numel()),
                    out.shape());
            fold(cols, w, tmp);
            CpuBackend.INSTANCE.unary(UnaryOp.IDENTITY, 0, tmp, out);
            return;
        }
        HeapBuffer src = (HeapBuffer) cols.buffer(), dst = (HeapBuffer) out.buffer();
        int parts = Parallel.parts(cols.numel(), GRAIN);
        Parallel.blocks(n * c, parts, pl -> foldPlane(src, cols, w, dst, out, pl / c, pl % c));
    }

    private static void foldPlane(HeapBuffer src, View cols, Window w, HeapBuffer dst, View out, int n, int c) {
        int[] s = cols.shape(), cs = cols.strides();
        int h = out.shape()[2], width = out.shape()[3], oh = s[4], ow = s[5];
        int base = out.offset() + (n * out.shape()[1] + c) * h * width;
        fill(dst, base, 1, 0, h * width, 0);
        for (int i = 0; i < s[2]; i++) {
            for (int j = 0; j < s[3]; j++) {
                int shift = j * w.dilationW() - w.padW();
                int qLo = firstInside(shift, w.strideW()), qHi = Math.min(ow, endInside(width, shift, w.strideW()));
                if (qLo >= qHi) {
                    continue;
                }
                for (int p = 0; p < oh; p++) {
                    int row = p * w.strideH() - w.padH() + i * w.dilationH();
                    if (row >= 0 && row < h) {
                        int from = cols.offset() + n * cs[0] + c * cs[1] + i * cs[2] + j * cs[3] + p * cs[4] + qLo * cs[5];
                        add(src, from, cs[5], dst, base + row * width + qLo * w.strideW() + shift, w.strideW(), qHi - qLo);
                    }
                }
            }
        }
    }

    /** @return the first window column {@code q >= 0} with {@code q*stride + shift >= 0} */
    private static int firstInside(int shift, int stride) {
        return shift >= 0 ? 0 : (-shift + stride - 1) / stride;
    }

    /** @return one past the last window column with {@code q*stride + shift < width} (0 if none) */
    private static int endInside(int width, int shift, int stride) {
        return width - 1 - shift < 0 ? 0 : (width - 1 - shift) / stride + 1;
    }

    private static void fill(HeapBuffer b, int at, int stride, int from, int to, double v) {
        if (from >= to) {
            return;
        }
        if (stride == 1) {
            switch (b.dtype()) {
                case F32 -> Arrays.fill(b.f32, at + from, at + to, (float) v);
                case F64 -> Arrays.fill(b.f64, at + from, at + to, v);
                case I64 -> Arrays.fill(b.i64, at + from, at + to, (long) v);
            }
            return;
        }
        for (int q = from; q < to; q++) {
            b.set(at + q * stride, v);
        }
    }

    private static void copy(HeapBuffer src, int so, int ss, HeapBuffer dst, int d, int ds, int len) {
        if (len <= 0) {
            return;
        }
        if (src.dtype() == DType.I64) {
            // index windows (an unfold of labels): moved exactly, never through a float
            for (int q = 0; q < len; q++) {
                dst.i64[d + q * ds] = src.i64[so + q * ss];
            }
        } else if (src.dtype() == DType.F32) {
            float[] a = src.f32, o = dst.f32;
            if (ss == 1 && ds == 1) {
                System.arraycopy(a, so, o, d, len);
            } else {
                for (int q = 0; q < len; q++) {
                    o[d + q * ds] = a[so + q * ss];
                }
            }
        } else {
            double[] a = src.f64, o = dst.f64;
            if (ss == 1 && ds == 1) {
                System.arraycopy(a, so, o, d, len);
            } else {
                for (int q = 0; q < len; q++) {
                    o[d + q * ds] = a[so + q * ss];
                }
            }
        }
    }

    private static void add(HeapBuffer src, int so, int ss, HeapBuffer dst, int d, int ds, int len) {
        if (src.dtype() == DType.I64) {
            for (int q = 0; q < len; q++) {
                dst.i64[d + q * ds] += src.i64[so + q * ss];
            }
        } else if (src.dtype() == DType.F32) {
            float[] a = src.f32, o = dst.f32;
            if (ss == 1 && ds == 1) {
                for (int q = 0; q < len; q++) {
                    o[d + q] += a[so + q];
                }
            } else {
                for (int q = 0; q < len; q++) {
                    o[d + q * ds] += a[so + q * ss];
                }
            }
        } else {
            double[] a = src.f64, o = dst.f64;
            for (int q = 0; q < len; q++) {
                o[d + q * ds] += a[so + q * ss];
            }
        }
    }
}
