package dev.jgrad.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A vector {@code erfc} for F32 (the Vector API has none): the Chebyshev-fitted form
 * {@code erfc(z) = t exp(-z^2 + P(t))}, {@code t = 1/(1 + z/2)}, whose relative error stays below
 * 1.2e-7 for all {@code z >= 0}: within about one F32 ulp, including the far tail where
 * {@code 1 - erf} would cancel. GELU uses it directly as {@code Phi(-|x|) = erfc(|x|/sqrt 2)/2}.
 */
final class Erfc {
    static final float INV_SQRT2 = 0.70710678f;
    private static final float[] P = {
        -1.26551223f, 1.00002368f, 0.37409196f, 0.09678418f, -0.18628806f,
        0.27886807f, -1.13520398f, 1.48851587f, -0.82215223f, 0.17087277f};

    private Erfc() {
    }

    /**
     * @param z    lanes {@code >= 0}
     * @param zzHi {@code z*z} rounded to F32
     * @param zzLo the rounding error of {@code zzHi}, so that {@code z^2 = zzHi + zzLo} (nearly) exactly
     * @return {@code erfc(z) / 2}
     */
    static FloatVector halfErfc(FloatVector z, FloatVector zzHi, FloatVector zzLo) {
        FloatVector t = FloatVector.broadcast(z.species(), 1f).div(z.mul(0.5f).add(1f));
        FloatVector poly = FloatVector.broadcast(z.species(), P[9]);
        for (int k = 8; k >= 0; k--) {
            poly = poly.fma(t, FloatVector.broadcast(z.species(), P[k]));
        }
        // exp(-z^2) in one step would turn F32 rounding of z^2 (~32 at the tail) into a relative
        // error of ~1e-6; splitting off the exactly representable high part keeps it at ~1 ulp.
        FloatVector big = zzHi.neg().lanewise(VectorOperators.EXP);
        FloatVector small = poly.sub(zzLo).lanewise(VectorOperators.EXP);
        return t.mul(big).mul(small).mul(0.5f);
    }
}
