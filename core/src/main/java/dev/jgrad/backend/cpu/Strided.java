package dev.jgrad.backend.cpu;

import dev.jgrad.DType;
import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.Odometer;
import dev.jgrad.backend.View;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The cpu backend's own loops for the primitives without a dedicated vector kernel: fill of F64,
 * I64 and strided F32, I64 copies and arithmetic, and {@code where}. Each reads and writes the typed
 * arrays directly, with the dtype switch outside the loop (the reference backend widens every
 * element to double and stages the whole output), and contiguous operands take a flat loop.
 *
 * <p>Exact aliasing of an input and the output (an in-place update) is safe: every element is read
 * before the same element is written.
 */
final class Strided {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private Strided() {
    }

    /** Sets every element of {@code out} to {@code value}, rounded to its dtype. */
    static void fill(View out, double value) {
        HeapBuffer o = (HeapBuffer) out.buffer();
        if (out.numel() == 0) {
            return;
        }
        if (out.isContiguous()) {
            int from = out.offset(), to = from + out.numel();
            switch (o.dtype()) {
                case F32 -> Arrays.fill(o.f32, from, to, (float) value);
                case F64 -> Arrays.fill(o.f64, from, to, value);
                case I64 -> Arrays.fill(o.i64, from, to, (long) value);
            }
            return;
        }
        Odometer it = Odometer.of(out.shape(), out);
        int[] p = it.offsets;
        switch (o.dtype()) {
            case F32 -> {
                float v = (float) value;
                do {
                    o.f32[p[0]] = v;
                } while (it.next());
            }
            case F64 -> {
                do {
                    o.f64[p[0]] = value;
                } while (it.next());
            }
            case I64 -> {
                long v = (long) value;
                do {
                    o.i64[p[0]] = v;
                } while (it.next());
            }
        }
    }

    /** {@code out = in} for I64 views of one shape (any strides). */
    static void copyLong(View in, View out) {
        long[] x = ((HeapBuffer) in.buffer()).i64, o = ((HeapBuffer) out.buffer()).i64;
        if (out.numel() == 0) {
            return;
        }
        if (in.isContiguous() && out.isContiguous()) {
            System.arraycopy(x, in.offset(), o, out.offset(), out.numel());
            return;
        }
        Odometer it = Odometer.of(out.shape(), in, out);
        int[] p = it.offsets;
        do {
            o[p[1]] = x[p[0]];
        } while (it.next());
    }

    /**
     * {@code out = op(a, b)} on I64: exact 64-bit integer arithmetic and comparisons; DIV and POW
     * go through double and truncate toward zero, as the primitive's double formula defines them.
     */
    static void binaryLong(BinaryOp op, View a, View b, View out) {
        long[] x = ((HeapBuffer) a.buffer()).i64, y = ((HeapBuffer) b.buffer()).i64;
        long[] o = ((HeapBuffer) out.buffer()).i64;
        if (out.numel() == 0) {
            return;
        }
        Odometer it = Odometer.of(out.shape(), a, b, out);
        int[] p = it.offsets;
        do {
            o[p[2]] = apply(op, x[p[0]], y[p[1]]);
        } while (it.next());
    }

    /** The integer form of each op; the switch names every constant, so a new op fails to compile here. */
    static long apply(BinaryOp op, long a, long b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case GT -> a > b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case EQ -> a == b ? 1 : 0;
            case DIV, POW -> (long) op.apply(a, b);
        };
    }

    /**
     * {@code out[i] = cond[i] != 0 ? a[i] : b[i]} (NaN counts as non-zero) for any dtypes of
     * {@code cond} and of the operands; all-contiguous F32 runs in vector lanes.
     */
    static void where(View cond, View a, View b, View out) {
        if (out.numel() == 0) {
            return;
        }
        HeapBuffer c = (HeapBuffer) cond.buffer(), x = (HeapBuffer) a.buffer(), y = (HeapBuffer) b.buffer();
        HeapBuffer o = (HeapBuffer) out.buffer();
        if (o.dtype() == DType.F32 && c.dtype() == DType.F32 && cond.isContiguous() && a.isContiguous()
                && b.isContiguous() && out.isContiguous()) {
            whereF32(c.f32, cond.offset(), x.f32, a.offset(), y.f32, b.offset(), o.f32, out.offset(), out.numel());
            return;
        }
        Odometer it = Odometer.of(out.shape(), cond, a, b, out);
        int[] p = it.offsets;
        switch (o.dtype()) {
            case F32 -> {
                do {
                    o.f32[p[3]] = isSet(c, p[0]) ? x.f32[p[1]] : y.f32[p[2]];
                } while (it.next());
            }
            case F64 -> {
                do {
                    o.f64[p[3]] = isSet(c, p[0]) ? x.f64[p[1]] : y.f64[p[2]];
                } while (it.next());
            }
            case I64 -> {
                do {
                    o.i64[p[3]] = isSet(c, p[0]) ? x.i64[p[1]] : y.i64[p[2]];
                } while (it.next());
            }
        }
    }

    private static void whereF32(float[] c, int co, float[] x, int xo, float[] y, int yo, float[] o, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            // NE is Java's !=, so a NaN condition selects a, as the scalar tail does.
            VectorMask<Float> take = FloatVector.fromArray(S, c, co + i).compare(VectorOperators.NE, 0f);
            FloatVector.fromArray(S, y, yo + i).blend(FloatVector.fromArray(S, x, xo + i), take).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = c[co + i] != 0 ? x[xo + i] : y[yo + i];
        }
    }

    private static boolean isSet(HeapBuffer c, int i) {
        return switch (c.dtype()) {
            case F32 -> c.f32[i] != 0;
            case F64 -> c.f64[i] != 0;
            case I64 -> c.i64[i] != 0;
        };
    }
}
