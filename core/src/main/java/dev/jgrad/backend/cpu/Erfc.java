package dev.jgrad.backend.cpu;

import dev.jgrad.backend.Erf;
import dev.jgrad.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The F32 {@code erf} and GELU kernels, on a vector {@code erfc} (the Vector API has none):
 * {@code erfc(z) = t exp(-z^2) H(w)}, {@code t = 1/(1 + z/2)}, {@code w = 1 - t}, where
 * {@code H(w) = erfcx(z)/t} is smooth (1 at z = 0, 0.33 at z = 10.3) and a degree-8 polynomial in
 * w fits it to a relative error of 4.9e-8 (the "A&S 7.1.26" form, refitted): relative accuracy
 * all the way down the tail, where {@code 1 - erf} would cancel. GELU uses it directly as
 * {@code Phi(-|x|) = erfc(|x|/sqrt 2)/2}; CpuKernelsTest's sweep finds at most 5 ulps.
 *
 * <p>{@code exp(-z^2)} is written out in the loop (reduction {@code n ln2 + r} in two parts, a
 * degree-6 polynomial, {@code 2^n} built in the exponent bits) on {@code -z^2 = hi + d} split
 * exactly by an FMA: with z^2 rounded to F32 it would be off by ~1e-6 at the tail. The loop is
 * bound by latency more than by its ~27 FMAs: H and the exponential are independent chains that
 * run side by side, with the division at the head of the one and the exponent bits at the head
 * of the other; the previous form, {@code t exp(-z^2 + P(t))} (Numerical Recipes), put its
 * polynomial, the reduction and the exp polynomial in one ~95-cycle chain, and ran 1.45 times
 * slower (0.95 against 0.65 ns an element, one thread, {@code -XX:UseAVX=2}).
 *
 * <p>One loop with everything inline, shared by erf and GELU through a flag: a helper method
 * for the exponential or the final blend is compiled on its own and not inlined ("callee is too
 * large"), so every vector crossing the call is boxed. Constants are {@code static final} floats,
 * not arrays: the loop's stores could alias an array, so C2 reloaded (and rescaled) its elements
 * on every iteration. {@code core/tools/fit-erfc.py} refits the coefficients.
 */
final class Erfc {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final float INV_SQRT2 = 0.70710678f;
    /** {@code H(w) = 1 + w (K0 + K1 w + ... + K7 w^7)}, F32 coefficients refitted one by one. */
    private static final float K0 = -1.2567526f, K1 = 0.48626432f, K2 = 0.21461251f, K3 = -0.11797385f;
    private static final float K4 = -0.025283296f, K5 = -0.14638422f, K6 = 0.18618956f, K7 = -0.058585312f;
    /**
     * {@code erf(x) = x (S0 + S1 x^2 + ... + S4 x^8)} for {@code |x| < 0.75}, relative error
     * 7.4e-8: there {@code 1 - erfc} would lose erf's relative accuracy (erf(1e-6) came out 0).
     */
    private static final float S0 = 1.1283791f, S1 = -0.37611979f, S2 = 0.11274054f, S3 = -0.026367791f;
    private static final float S4 = 0.0041647754f;
    /** 2^-33: with 2^(m+32) for 2^m (see {@code apply}) and erfc's half. */
    private static final float C = 0x1p-33f;
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 in two parts; the first has 9 bits, so {@code n * LN2_HI} is exact. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds to an integer, which then sits in the low mantissa bits. */
    private static final float MAGIC = 12582912f;
    private static final int MAGIC_BITS = 0x4B400000;
    /**
     * {@code exp(r) = 1 + r + r^2 Q(r)} on {@code |r| <= ln2/2}, Q of degree 4: relative error
     * 3.1e-9 (Cephes' expf, one degree more, reaches 1e-10, which F32 cannot use).
     */
    private static final float Q0 = 0.49999994f, Q1 = 0.16666521f, Q2 = 0.041668274f, Q3 = 0.00836868f;
    private static final float Q4 = 0.0013820098f;

    private Erfc() {
    }

    /**
     * {@code o[oo + i] = gelu(x[xo + i])} (exact GELU, {@code x Phi(x)}) when {@code gelu}, else
     * {@code erf(x[xo + i])}, for {@code i < n}; exact aliasing is safe.
     */
    static void apply(boolean gelu, float[] x, int xo, float[] o, int oo, int n) {
        // GELU's z = |x|/sqrt 2, so z^2 = x^2/2, exactly from x^2's two parts.
        float scale = gelu ? INV_SQRT2 : 1f, square = gelu ? 0.5f : 1f, zMax = gelu ? 14.5f : 10.25f;
        FloatVector one = FloatVector.broadcast(S, 1f), negSquare = one.broadcast(-square);
        FloatVector lnHi = one.broadcast(-LN2_HI), lnLo = one.broadcast(-LN2_LO);
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i), av = v.abs();
            // -z^2 = hi + d exactly: hi rounded, d its error; exp(hi + d) = 2^m exp(r).
            FloatVector nv = v.mul(negSquare), hi = v.mul(nv), d = v.fma(nv, hi.neg());
            FloatVector magic = hi.fma(LOG2E, MAGIC), m = magic.sub(MAGIC);
            FloatVector r = m.fma(lnHi, hi).add(m.fma(lnLo, d)), r2 = r.mul(r);
            // exp(r) 2^-33 = 2^-33 (1 + r) + r^2 2^-33 Q(r), the 2^-33 in Q's coefficients (see pt).
            FloatVector q = r2.fma(r2.fma(one.broadcast(Q4 * C), r.fma(Q3 * C, Q2 * C)), r.fma(Q1 * C, Q0 * C));
            FloatVector e = q.fma(r2, r.fma(C, C));
            // H = (1 + K0 w) + w^2 (K1 + ... + K7 w^6), 1 + K0 w apart as H falls to 0.33 where
            // that sum cancels; w and t = 1/den each by their own division (w = 1 - t: 7 ulps).
            FloatVector den = av.fma(scale * 0.5f, 1f), w = den.sub(1f).div(den), u = w.mul(w);
            FloatVector k = u.fma(one.broadcast(K7), w.fma(K6, K5)).fma(u, w.fma(K4, K3)).fma(u, w.fma(K2, K1));
            FloatVector h = k.fma(u, w.fma(K0, 1f));
            // 2^m as 2^(m+32) * 2^-32, so that results down to the smallest subnormal round once;
            // the half of erfc/2 joins the 2^-32. Past zMax the result underflows: 0 (also at inf).
            FloatVector pt = ((IntVector) magic.reinterpretAsInts()).add(127 + 32 - MAGIC_BITS)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats().div(den);
            VectorMask<Float> far = av.compare(VectorOperators.GT, zMax);
            if (gelu) {
                // x Phi(-|x|) below 0, x - x Phi(-|x|) above: base - |x| Phi(-|x|), one FMA on e (the
                // end of the longest chain); v * 0 keeps -0 past -zMax and NaN at -infinity.
                FloatVector base = v.blend(v.mul(0f), v.test(VectorOperators.IS_NEGATIVE));
                e.fma(pt.mul(av.neg()).mul(h), base).blend(base, far).intoArray(o, oo + i);
            } else {
                FloatVector c = e.mul(pt.mul(h)).blend(0f, far).fma(-2f, 1f), vv = v.mul(v);
                FloatVector near0 = v.mul(vv.fma(S4, S3).fma(vv, one.broadcast(S2)).fma(vv, one.broadcast(S1))
                        .fma(vv, one.broadcast(S0)));
                c.neg().blend(c, v.compare(VectorOperators.GE, 0f)).blend(near0, av.compare(VectorOperators.LT, 0.75f))
                        .blend(v, v.test(VectorOperators.IS_NAN)).intoArray(o, oo + i);
            }
        }
        for (; i < n; i++) {
            o[oo + i] = (float) (gelu ? UnaryOp.GELU.apply(x[xo + i], 0)
                    : Erf.erf(x[xo + i]));
        }
    }
}
