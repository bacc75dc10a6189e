package dev.jgrad.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes (F32 or F64) in a fixed order, for every kernel that ends a vector reduction:
 * lane i plus lane i ^ L/2, then ^ L/4, and so on. These are lanewise adds, so the bits are the
 * same before and after C2 compiles the caller. The order of {@code reduceLanes(ADD)} is
 * unspecified, and its interpreted and compiled forms differ in the last bit: a model's logits
 * changed between two evaluations while C2 compiled a block, and in one CI run of ParallelSumTest
 * the same 4095-float sum taken twice on one thread came out 2⁻⁹ apart (one float ulp of the block's
 * lane sum), the block's code compiled differently on the two paths.
 */
final class LaneSum {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Lane i takes lane i ^ h (h = 1, 2, L/4, L/2); DotGemm's four-vector fold uses them too. */
    static final VectorShuffle<Float> X1 = swap(1), X2 = swap(2), QUARTER = swap(L / 4), HALF = swap(L / 2);

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();
    /** The same for {@link #D}'s lanes (2, 4 or 8): lane i takes lane i ^ h (h = 1, DL/4, DL/2). */
    private static final VectorShuffle<Double> D_X1 = swapDouble(1), D_QUARTER = swapDouble(Math.max(1, DL / 4)),
            D_HALF = swapDouble(DL / 2);

    private LaneSum() {
    }

    private static VectorShuffle<Float> swap(int h) {
        return VectorShuffle.fromOp(S, i -> (i ^ h) % L);
    }

    private static VectorShuffle<Double> swapDouble(int h) {
        return VectorShuffle.fromOp(D, i -> (i ^ h) % DL);
    }

    /** @return the sum of {@code v}'s lanes ({@link #S}'s shape), folded in halves */
    static float of(FloatVector v) {
        v = v.add(v.rearrange(HALF));
        v = v.add(v.rearrange(QUARTER));
        if (L >= 16) {
            v = v.add(v.rearrange(X2));
        }
        return (L >= 8 ? v.add(v.rearrange(X1)) : v).lane(0);
    }

    /** @return the sum of {@code v}'s lanes ({@link #D}'s shape), folded in halves as {@link #of(FloatVector)} */
    static double of(DoubleVector v) {
        v = v.add(v.rearrange(D_HALF));
        if (DL >= 4) {
            v = v.add(v.rearrange(D_QUARTER));
        }
        return (DL >= 8 ? v.add(v.rearrange(D_X1)) : v).lane(0);
    }
}
