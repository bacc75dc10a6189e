package dev.jgrad.backend.cpu;

import dev.jgrad.DType;
import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.View;
import java.util.Arrays;

/**
 * Runs unary and binary primitives row by row ({@link Rows}). Unit-stride rows go straight to the
 * vector kernels; other rows are staged through small buffers in chunks, so broadcasts and
 * transposed views still run vectorised. Large single rows are split across threads.
 *
 * <p>F64 runs the reference formulas in plain loops (which the JIT vectorises for arithmetic):
 * F64 is the precision dtype, where StrictMath accuracy matters more than speed.
 */
final class Elementwise {
    private static final int CHUNK = 1024;

    private Elementwise() {
    }

    static void unary(UnaryOp op, double arg, View in, View out) {
        boolean f32 = out.buffer().dtype() == DType.F32;
        if (f32 && out.numel() < Parallel.STREAM_GRAIN && in.isContiguous() && out.isContiguous()) {
            // The common small case, without the row machinery: per-op overhead dominates small tensors.
            FloatUnary.apply(op, (float) arg, ((HeapBuffer) in.buffer()).f32, in.offset(),
                    ((HeapBuffer) out.buffer()).f32, out.offset(), out.numel());
            return;
        }
        if (op == UnaryOp.IDENTITY && in.rank() == 2 && in.strides()[0] == 1 && in.shape()[0] > 1
                && in.shape()[1] > 1 && out.isContiguous()) {
            transpose(in, out);
            return;
        }
        Rows rows = Rows.of(out.shape(), in, out);
        int xs = rows.innerStrides[0], os = rows.innerStrides[1];
        HeapBuffer x = (HeapBuffer) in.buffer(), o = (HeapBuffer) out.buffer();
        if (out.buffer().dtype() == DType.F32) {
            float a = (float) arg;
            forRows(rows, (off, start, len) -> unaryRow(op, a, x.f32, off[0] + start * xs, xs, o.f32,
                    off[1] + start * os, os, len));
        } else {
            forRows(rows, (off, start, len) -> {
                for (int i = start; i < start + len; i++) {
                    o.f64[off[1] + i * os] = op.apply(x.f64[off[0] + i * xs], arg);
                }
            });
        }
    }

    static void binary(BinaryOp op, View a, View b, View out) {
        if (out.buffer().dtype() == DType.F32 && out.numel() < Parallel.STREAM_GRAIN && a.isContiguous()
                && b.isContiguous() && out.isContiguous()) {
            FloatBinary.apply(op, ((HeapBuffer) a.buffer()).f32, a.offset(), ((HeapBuffer) b.buffer()).f32, b.offset(),
                    ((HeapBuffer) out.buffer()).f32, out.offset(), out.numel());
            return;
        }
        Rows rows = Rows.of(out.shape(), a, b, out);
        int as = rows.innerStrides[0], bs = rows.innerStrides[1], os = rows.innerStrides[2];
        HeapBuffer x = (HeapBuffer) a.buffer(), y = (HeapBuffer) b.buffer(), o = (HeapBuffer) out.buffer();
        if (out.buffer().dtype() == DType.F32) {
            forRows(rows, (off, start, len) -> binaryRow(op, x.f32, off[0] + start * as, as, y.f32,
                    off[1] + start * bs, bs, o.f32, off[2] + start * os, os, len));
        } else {
            forRows(rows, (off, start, len) -> {
                for (int i = start; i < start + len; i++) {
                    o.f64[off[2] + i * os] = apply64(op, x.f64[off[0] + i * as], y.f64[off[1] + i * bs]);
                }
            });
        }
    }

    /** A transposed matrix copied row-major, tile by tile ({@link Transpose}). */
    private static void transpose(View in, View out) {
        HeapBuffer src = (HeapBuffer) in.buffer(), dst = (HeapBuffer) out.buffer();
        int rows = in.shape()[0], cols = in.shape()[1], ld = in.strides()[1];
        if (src.dtype() == DType.F32) {
            Transpose.copy(src.f32, in.offset(), ld, dst.f32, out.offset(), rows, cols);
        } else {
            Transpose.copy(src.f64, in.offset(), ld, dst.f64, out.offset(), rows, cols);
        }
    }

    private static double apply64(BinaryOp op, double p, double q) {
        return switch (op) {
            case ADD -> p + q;
            case SUB -> p - q;
            case MUL -> p * q;
            case DIV -> p / q;
            default -> op.apply(p, q);
        };
    }

    /** A piece of one row: operand offsets at the row start, then the element range. */
    private interface RowPiece {
        void run(int[] offsets, int start, int length);
    }

    private static void forRows(Rows rows, RowPiece piece) {
        int n = rows.length;
        if (rows.count() == 1 && n >= 2 * Parallel.STREAM_GRAIN) {
            int[] offsets = rows.start();
            int parts = Parallel.parts(n, Parallel.STREAM_GRAIN);
            int per = (n + parts - 1) / parts;
            Parallel.forEach(parts, p -> piece.run(offsets, p * per, Math.min(n, (p + 1) * per) - p * per));
            return;
        }
        rows.forEach(off -> piece.run(off, 0, n));
    }

    private static void unaryRow(UnaryOp op, float arg, float[] x, int xo, int xs, float[] o, int oo, int os, int n) {
        if (xs == 1 && os == 1) {
            FloatUnary.apply(op, arg, x, xo, o, oo, n);
            return;
        }
        float[] tx = new float[Math.min(n, CHUNK)];
        float[] to = os == 1 ? null : new float[tx.length];
        for (int s = 0; s < n; s += CHUNK) {
            int len = Math.min(CHUNK, n - s);
            gather(x, xo + s * xs, xs, tx, len);
            if (os == 1) {
                FloatUnary.apply(op, arg, tx, 0, o, oo + s, len);
            } else {
                FloatUnary.apply(op, arg, tx, 0, to, 0, len);
                scatter(to, o, oo + s * os, os, len);
            }
        }
    }

    private static void binaryRow(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
                                  float[] o, int oo, int os, int n) {
        if (as == 1 && bs == 1 && os == 1) {
            FloatBinary.apply(op, a, ao, b, bo, o, oo, n);
            return;
        }
        UnaryOp scalar = as == 1 && bs == 0 && os == 1 ? scalarForm(op) : null;
        if (scalar != null) {
            // a column broadcast along the row: one scalar (x - s rounds as x + (-s))
            FloatUnary.apply(scalar, op == BinaryOp.SUB ? -b[bo] : b[bo], a, ao, o, oo, n);
            return;
        }
        int c = Math.min(n, CHUNK);
        float[] ta = as == 1 ? null : new float[c];
        float[] tb = bs == 1 ? null : new float[c];
        float[] to = os == 1 ? null : new float[c];
        for (int s = 0; s < n; s += CHUNK) {
            int len = Math.min(CHUNK, n - s);
            if (ta != null) {
                gather(a, ao + s * as, as, ta, len);
            }
            if (tb != null) {
                gather(b, bo + s * bs, bs, tb, len);
            }
            FloatBinary.apply(op, ta == null ? a : ta, ta == null ? ao + s : 0, tb == null ? b : tb,
                    tb == null ? bo + s : 0, to == null ? o : to, to == null ? oo + s : 0, len);
            if (to != null) {
                scatter(to, o, oo + s * os, os, len);
            }
        }
    }

    private static UnaryOp scalarForm(BinaryOp op) {
        return switch (op) {
            case ADD, SUB -> UnaryOp.ADD_SCALAR;
            case MUL -> UnaryOp.MUL_SCALAR;
            case DIV -> UnaryOp.DIV_SCALAR;
            default -> null;
        };
    }

    private static void gather(float[] src, int off, int stride, float[] dst, int n) {
        if (stride == 0) {
            Arrays.fill(dst, 0, n, src[off]);
            return;
        }
        for (int i = 0; i < n; i++) {
            dst[i] = src[off + i * stride];
        }
    }

    private static void scatter(float[] src, float[] dst, int off, int stride, int n) {
        for (int i = 0; i < n; i++) {
            dst[off + i * stride] = src[i];
        }
    }
}
