package dev.jgrad.backend.cpu;

import dev.jgrad.backend.Erf;
import dev.jgrad.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The F32 {@code erf} and GELU kernels, on a vector {@code erfc} (the Vector API has none): the
 * Chebyshev-fitted form {@code erfc(z) = t exp(-z^2 + P(t))}, {@code t = 1/(1 + z/2)}, whose
 * relative error stays below 1.2e-7 for all {@code z >= 0}: within about one F32 ulp, including
 * the far tail where {@code 1 - erf} would cancel. GELU uses it directly as
 * {@code Phi(-|x|) = erfc(|x|/sqrt 2)/2}.
 *
 * <p>The exponential is Cephes' {@code expf} written out in the loop (reduction
 * {@code x = n ln2 + r} in two parts, a degree-7 polynomial, {@code 2^n} built in the exponent
 * bits), taking its argument as {@code -zzHi + (P - zzLo)}: the rounding error {@code zzLo} of
 * {@code z^2} joins after the reduction, so one exp keeps ~1 ulp where {@code exp(-z^2)} with z^2
 * rounded to F32 would be off by ~1e-6 at the tail. The earlier form (two Vector API EXP calls in
 * a helper method) ran at 3-4× a scalar exp loop under AVX2: the JIT compiled the helper on its
 * own and then would not inline it ("callee is too large"), so every vector crossing the call was
 * boxed. Hence one loop with everything inline, shared by erf and GELU through a constant flag.
 */
final class Erfc {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final float INV_SQRT2 = 0.70710678f;
    private static final float[] P = {
        -1.26551223f, 1.00002368f, 0.37409196f, 0.09678418f, -0.18628806f,
        0.27886807f, -1.13520398f, 1.48851587f, -0.82215223f, 0.17087277f};
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 in two parts; the first has 9 bits, so {@code n * LN2_HI} is exact. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds to an integer, which then sits in the low mantissa bits. */
    private static final float MAGIC = 12582912f;
    private static final int MAGIC_BITS = 0x4B400000;
    private static final float[] E = {
        1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};

    private Erfc() {
    }

    /**
     * {@code o[oo + i] = gelu(x[xo + i])} (exact GELU, {@code x Phi(x)}) when {@code gelu}, else
     * {@code erf(x[xo + i])}, for {@code i < n}; exact aliasing is safe.
     */
    static void apply(boolean gelu, float[] x, int xo, float[] o, int oo, int n) {
        // GELU's z = |x|/sqrt 2, so z^2 = x^2/2, exactly from x^2's two parts.
        float scale = gelu ? INV_SQRT2 : 1f, square = gelu ? 0.5f : 1f;
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector vv = v.mul(v);
            FloatVector zzHi = vv.mul(square), zzLo = v.fma(v, vv.neg()).mul(square);
            FloatVector z = v.abs().mul(scale);
            FloatVector t = one.div(z.fma(0.5f, 1f));
            FloatVector poly = t.fma(P[9], P[8]);
            for (int k = 7; k >= 0; k--) {
                poly = poly.fma(t, one.broadcast(P[k]));
            }
            FloatVector hi = zzHi.neg(), lo = poly.sub(zzLo), s = hi.add(lo);
            FloatVector magic = s.fma(LOG2E, MAGIC), m = magic.sub(MAGIC);
            FloatVector r = m.fma(one.broadcast(-LN2_LO), m.fma(one.broadcast(-LN2_HI), hi).add(lo));
            FloatVector y = r.fma(E[0], E[1]);
            for (int k = 2; k < E.length; k++) {
                y = y.fma(r, one.broadcast(E[k]));
            }
            // 2^m as 2^(m+32) * 2^-32, so that results down to the smallest subnormal round once.
            FloatVector pow2 = ((IntVector) magic.reinterpretAsInts()).add(127 + 32 - MAGIC_BITS)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector exp = y.fma(r.mul(r), r).add(1f).mul(pow2).mul(0x1p-32f);
            // Below e^-104 (z beyond ~10) the result is 0; at z = inf zzLo is NaN, hence z > 20.
            FloatVector half = t.mul(exp).mul(0.5f).blend(0f, s.compare(VectorOperators.LT, -104f)
                    .or(z.compare(VectorOperators.GT, 20f)));
            if (gelu) {
                v.mul(half.neg().add(1f).blend(half, v.compare(VectorOperators.LT, 0f))).intoArray(o, oo + i);
            } else {
                FloatVector e = half.mul(-2f).add(1f);
                e.neg().blend(e, v.compare(VectorOperators.GE, 0f)).blend(v, v.test(VectorOperators.IS_NAN))
                        .intoArray(o, oo + i);
            }
        }
        for (; i < n; i++) {
            o[oo + i] = (float) (gelu ? UnaryOp.GELU.apply(x[xo + i], 0)
                    : Erf.erf(x[xo + i]));
        }
    }
}
