package dev.jgrad.backend.cpu;

import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One-pass F32 kernels for the fused primitives: row softmax / log-softmax, the cross-entropy
 * gradient, and the SGD update. Each replaces several allocations and passes over memory of the
 * composed versions (see {@code TrainStepBenchmark}).
 */
final class Fused {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private Fused() {
    }

    /** Softmax or log-softmax of {@code rows} contiguous rows of length {@code n}. */
    static void softmaxRows(float[] x, int xo, float[] o, int oo, int rows, int n, boolean log) {
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * n, oi = oo + r * n;
            float max = Reductions.max(x, xi, n);
            if (log) {
                subTwice(x, xi, max, (float) Math.log(sumExp(x, xi, n, max, null, 0)), o, oi, n);
            } else {
                float inv = (float) (1.0 / sumExp(x, xi, n, max, o, oi));
                FloatUnary.apply(UnaryOp.MUL_SCALAR, inv, o, oi, o, oi, n);
            }
        }
    }

    /** {@code o = (x - max) - lse}, in that order, as the reference rounds it. */
    private static void subTwice(float[] x, int xi, float max, float lse, float[] o, int oi, int n) {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(S, x, xi + i).sub(max).sub(lse).intoArray(o, oi + i);
        }
        for (; i < n; i++) {
            o[oi + i] = (x[xi + i] - max) - lse;
        }
    }

    /** @return {@code sum exp(x - max)} over a row, also storing the exponentials when {@code o != null} */
    private static double sumExp(float[] x, int xi, int n, float max, float[] o, int oi) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector e = FloatVector.fromArray(S, x, xi + i).sub(max).lanewise(VectorOperators.EXP);
            if (o != null) {
                e.intoArray(o, oi + i);
            }
            acc = acc.add(e);
        }
        double sum = LaneSum.of(acc);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xi + i] - max);
            if (o != null) {
                o[oi + i] = e;
            }
            sum += e;
        }
        return sum;
    }

    /** {@code out = scale * (exp(logProbs) - onehot(labels))} over {@code rows} rows of {@code n}. */
    static void crossEntropyBackward(float[] lp, int lo, long[] labels, int labelOff, int labelStride, float scale,
                                     float[] o, int oo, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int li = lo + r * n, oi = oo + r * n;
            int i = 0;
            for (int b = S.loopBound(n); i < b; i += L) {
                FloatVector.fromArray(S, lp, li + i).lanewise(VectorOperators.EXP).mul(scale).intoArray(o, oi + i);
            }
            for (; i < n; i++) {
                o[oi + i] = (float) Math.exp(lp[li + i]) * scale;
            }
            o[oi + (int) labels[labelOff + r * labelStride]] -= scale;
        }
    }

    /** {@code y += alpha * x} over contiguous ranges. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector a = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(S, x, xo + i).fma(a, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /**
     * {@code o = act(x + bias)} row by row: the add and the activation run while the row is in L1,
     * so memory is read and written once.
     */
    static void biasActivation(UnaryOp act, float[] x, int xo, float[] bias, int bo, float[] o,
                               int oo, int rows, int c) {
        for (int r = 0; r < rows; r++) {
            FloatBinary.apply(BinaryOp.ADD, x, xo + r * c, bias, bo, o, oo + r * c, c);
            if (act != UnaryOp.IDENTITY) {
                FloatUnary.apply(act, 0f, o, oo + r * c, o, oo + r * c, c);
            }
        }
    }
}
