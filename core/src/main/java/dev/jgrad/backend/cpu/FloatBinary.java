package dev.jgrad.backend.cpu;

import dev.jgrad.backend.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** F32 binary kernels over contiguous ranges, one loop per op (see {@link FloatUnary} for why). */
final class FloatBinary {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private FloatBinary() {
    }

    /** {@code o[oo + i] = op(a[ao + i], b[bo + i])} for {@code i < n}; exact aliasing is safe. */
    static void apply(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        switch (op) {
            case ADD -> add(a, ao, b, bo, o, oo, n);
            case SUB -> sub(a, ao, b, bo, o, oo, n);
            case MUL -> mul(a, ao, b, bo, o, oo, n);
            case DIV -> div(a, ao, b, bo, o, oo, n);
            case MAX -> max(a, ao, b, bo, o, oo, n);
            case MIN -> min(a, ao, b, bo, o, oo, n);
            default -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) op.apply(a[ao + i], b[bo + i]);
                }
            }
        }
    }

    private static void add(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        int i = 0;
        for (int e = S.loopBound(n); i < e; i += L) {
            FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = a[ao + i] + b[bo + i];
        }
    }

    private static void sub(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        int i = 0;
        for (int e = S.loopBound(n); i < e; i += L) {
            FloatVector.fromArray(S, a, ao + i).sub(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = a[ao + i] - b[bo + i];
        }
    }

    private static void mul(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        int i = 0;
        for (int e = S.loopBound(n); i < e; i += L) {
            FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = a[ao + i] * b[bo + i];
        }
    }

    private static void div(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        int i = 0;
        for (int e = S.loopBound(n); i < e; i += L) {
            FloatVector.fromArray(S, a, ao + i).div(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = a[ao + i] / b[bo + i];
        }
    }

    private static void max(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        int i = 0;
        for (int e = S.loopBound(n); i < e; i += L) {
            FloatVector.fromArray(S, a, ao + i).max(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = Math.max(a[ao + i], b[bo + i]);
        }
    }

    private static void min(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        int i = 0;
        for (int e = S.loopBound(n); i < e; i += L) {
            FloatVector.fromArray(S, a, ao + i).min(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = Math.min(a[ao + i], b[bo + i]);
        }
    }
}
