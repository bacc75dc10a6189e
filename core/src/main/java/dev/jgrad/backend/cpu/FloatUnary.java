package dev.jgrad.backend.cpu;

import dev.jgrad.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 unary kernels over contiguous ranges. One loop per op, each naming its operator as a
 * constant: the Vector API compiles an operator to machine code only when the JIT sees it as a
 * constant, so a shared loop taking the operator as a parameter would run boxed.
 */
final class FloatUnary {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The constant term of tanh's numerator and denominator (see {@link #tanh}). */
    private static final float TANH_C0 = 4.89352455891786e-03f;
    /** The rest of tanh's numerator, from x^9's coefficient down. */
    private static final float[] TANH_P = {
        -8.60467152213735e-11f, 5.12229709037114e-08f, 1.48572235717979e-05f, 6.37261928875436e-04f, TANH_C0};

    private FloatUnary() {
    }

    /** {@code o[oo + i] = op(x[xo + i], arg)} for {@code i < n}; exact aliasing is safe. */
    static void apply(UnaryOp op, float arg, float[] x, int xo, float[] o, int oo, int n) {
        switch (op) {
            case IDENTITY -> System.arraycopy(x, xo, o, oo, n);
            case NEG -> neg(x, xo, o, oo, n);
            case EXP -> exp(x, xo, o, oo, n);
            case LOG -> log(x, xo, o, oo, n);
            case LOG1P -> log1p(x, xo, o, oo, n);
            case SQRT -> sqrt(x, xo, o, oo, n);
            case ABS -> abs(x, xo, o, oo, n);
            case TANH -> tanh(x, xo, o, oo, n);
            case SIGMOID -> sigmoid(x, xo, o, oo, n);
            case RELU -> relu(x, xo, o, oo, n);
            case LEAKY_RELU -> leakyRelu(arg, x, xo, o, oo, n);
            case GELU -> Erfc.apply(true, x, xo, o, oo, n);
            case ERF -> Erfc.apply(false, x, xo, o, oo, n);
            case ADD_SCALAR -> addScalar(arg, x, xo, o, oo, n);
            case MUL_SCALAR -> mulScalar(arg, x, xo, o, oo, n);
            case DIV_SCALAR -> divScalar(arg, x, xo, o, oo, n);
            case POW_SCALAR -> pow(arg, x, xo, o, oo, n);
            case GT_SCALAR -> greater(arg, x, xo, o, oo, n);
            case GE_SCALAR -> greaterOrEqual(arg, x, xo, o, oo, n);
            case LT_SCALAR -> less(arg, x, xo, o, oo, n);
            case LE_SCALAR -> lessOrEqual(arg, x, xo, o, oo, n);
            default -> scalar(op, arg, x, xo, o, oo, n);
        }
    }

    /** The reference formula: for ops too rare to vectorise (sign, ...) and for the vector loops' tails. */
    private static void scalar(UnaryOp op, float arg, float[] x, int xo, float[] o, int oo, int n) {
        for (int i = 0; i < n; i++) {
            o[oo + i] = (float) op.apply(x[xo + i], arg);
        }
    }

    /*
     * Masks for backward rules (relu, clamp): 1 where the comparison holds, else 0. One loop per
     * comparison: with the operator as a parameter, the JIT did not inline the shared loop into
     * apply's large switch, and compare() then ran the Vector API's boxed fallback (11% of a small
     * MLP's training step).
     */

    private static void greater(float c, float[] x, int xo, float[] o, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f), zero = FloatVector.zero(S);
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            zero.blend(one, FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, c)).intoArray(o, oo + i);
        }
        scalar(UnaryOp.GT_SCALAR, c, x, xo + i, o, oo + i, n - i);
    }

    private static void greaterOrEqual(float c, float[] x, int xo, float[] o, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f), zero = FloatVector.zero(S);
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            zero.blend(one, FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GE, c)).intoArray(o, oo + i);
        }
        scalar(UnaryOp.GE_SCALAR, c, x, xo + i, o, oo + i, n - i);
    }

    private static void less(float c, float[] x, int xo, float[] o, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f), zero = FloatVector.zero(S);
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            zero.blend(one, FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.LT, c)).intoArray(o, oo + i);
        }
        scalar(UnaryOp.LT_SCALAR, c, x, xo + i, o, oo + i, n - i);
    }

    private static void lessOrEqual(float c, float[] x, int xo, float[] o, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f), zero = FloatVector.zero(S);
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            zero.blend(one, FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.LE, c)).intoArray(o, oo + i);
        }
        scalar(UnaryOp.LE_SCALAR, c, x, xo + i, o, oo + i, n - i);
    }

    private static void neg(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(S, x, xo + i).neg().intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = -x[xo + i];
        }
    }

    private static void exp(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.EXP).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = (float) Math.exp(x[xo + i]);
        }
    }

    private static void log(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.LOG).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = (float) Math.log(x[xo + i]);
        }
    }

    private static void log1p(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.LOG1P).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = (float) Math.log1p(x[xo + i]);
        }
    }

    private static void sqrt(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(S, x, xo + i).sqrt().intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = (float) Math.sqrt(x[xo + i]);
        }
    }

    private static void abs(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(S, x, xo + i).abs().intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = Math.abs(x[xo + i]);
        }
    }

    /**
     * Eigen's rational tanh: {@code x P(x²) / Q(x²)} (degrees 13 and 6) on x clamped to ±7.905,
     * where tanh rounds to ±1 in F32; within 4 ulps. P and Q share their constant term (Eigen's
     * differ in the 7th digit), so that {@code P/Q} is exactly 1 at 0 and {@code x * (P/Q)} keeps
     * tiny and subnormal x exact without the blend to x below 0.0004 Eigen uses (7-10% faster
     * under AVX2, and within 2 ulps instead of 4 near 0). No exp and one division: the Vector
     * API's TANH reached only 3× a scalar exp loop under AVX2, this about 13×.
     */
    static void tanh(float[] x, int xo, float[] o, int oo, int n) {
        FloatVector hi = FloatVector.broadcast(S, 7.90531110763549805f), lo = hi.neg();
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector c = v.blend(hi, v.compare(VectorOperators.GT, hi)).blend(lo, v.compare(VectorOperators.LT, lo));
            FloatVector z = c.mul(c);
            FloatVector p = z.fma(-2.76076847742355e-16f, 2.00018790482477e-13f);
            for (float k : TANH_P) {
                p = p.fma(z, v.broadcast(k));
            }
            FloatVector q = z.fma(1.19825839466702e-06f, 1.18534705686654e-04f).fma(z, v.broadcast(2.26843463243900e-03f))
                    .fma(z, v.broadcast(TANH_C0));
            c.mul(p.div(q)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = (float) Math.tanh(x[xo + i]);
        }
    }

    /**
     * {@code 1 / (1 + e^-x)}: exp overflows to infinity for very negative x, giving exactly 0. The
     * Vector API's EXP is faster here than {@link Exp} (measured under AVX2 and AVX-512).
     */
    static void sigmoid(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector e = FloatVector.fromArray(S, x, xo + i).neg().lanewise(VectorOperators.EXP);
            FloatVector.broadcast(S, 1f).div(e.add(1f)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = (float) (1 / (1 + Math.exp(-x[xo + i])));
        }
    }

    private static void relu(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(S, x, xo + i).max(0f).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float v = x[xo + i];
            o[oo + i] = v > 0 || v != v ? v : 0f;
        }
    }

    private static void leakyRelu(float slope, float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            VectorMask<Float> pos = v.compare(VectorOperators.GT, 0f);
            v.mul(slope).blend(v, pos).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float v = x[xo + i];
            o[oo + i] = v > 0 ? v : v * slope;
        }
    }

    private static void addScalar(float c, float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(S, x, xo + i).add(c).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = x[xo + i] + c;
        }
    }

    private static void mulScalar(float c, float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(S, x, xo + i).mul(c).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = x[xo + i] * c;
        }
    }

    private static void divScalar(float c, float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(S, x, xo + i).div(c).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = x[xo + i] / c;
        }
    }

    /** Squares are exact products (as in PyTorch); other exponents use the vector pow. */
    private static void pow(float c, float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        if (c == 2f) {
            for (int b = S.loopBound(n); i < b; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                v.mul(v).intoArray(o, oo + i);
            }
        } else {
            for (int b = S.loopBound(n); i < b; i += L) {
                FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.POW, c).intoArray(o, oo + i);
            }
        }
        for (; i < n; i++) {
            o[oo + i] = (float) Math.pow(x[xo + i], c);
        }
    }
}
