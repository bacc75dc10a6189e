package dev.jgrad.backend.cpu;

import dev.jgrad.backend.UpdateStep;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused optimizer updates on F32 arrays: one pass that reads {@code p, g} and the states once
 * and writes {@code p} and the states once (formulas on the {@link UpdateStep} records). Each
 * rule's loop body is written once and run over whole vectors, then once masked for the tail.
 * The F64 twin {@code DoubleUpdates} is generated from this file by core/tools/derive-updates.sh.
 */
final class FloatUpdates {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorMask<Float> ALL = S.maskAll(true);

    private FloatUpdates() {
    }

    /**
     * Updates elements {@code [from, from + n)} of one row.
     *
     * @param step the rule and coefficients
     * @param a    the row's arrays {@code {p, g, states...}}
     * @param o    the element offset of each array's first element
     */
    static void apply(UpdateStep step, float[][] a, int[] o, int from, int n) {
        switch (step) {
            case UpdateStep.Sgd s -> sgd(s, a, o, from, from + n);
            case UpdateStep.Adam s -> adam(s, a, o, from, from + n);
            case UpdateStep.RmsProp s -> rmsProp(s, a, o, from, from + n);
            case UpdateStep.Adagrad s -> adagrad(s, a, o, from, from + n);
        }
    }

    private static FloatVector load(float[][] a, int[] o, int k, int i, VectorMask<Float> m) {
        return FloatVector.fromArray(S, a[k], o[k] + i, m);
    }

    private static void store(FloatVector v, float[][] a, int[] o, int k, int i, VectorMask<Float> m) {
        v.intoArray(a[k], o[k] + i, m);
    }

    private static void sgd(UpdateStep.Sgd s, float[][] a, int[] o, int from, int to) {
        float lr = (float) -s.lr(), wd = (float) s.weightDecay(), mu = (float) s.momentum();
        float keep = (float) (1 - s.dampening());
        boolean momentum = s.momentum() != 0, nesterov = s.nesterov(), first = s.first(), decay = wd != 0;
        int i = from;
        for (int b = from + S.loopBound(to - from); i < b; i += L) {
            sgdBody(a, o, i, ALL, lr, wd, mu, keep, momentum, nesterov, first, decay);
        }
        if (i < to) {
            sgdBody(a, o, i, S.indexInRange(i, to), lr, wd, mu, keep, momentum, nesterov, first, decay);
        }
    }

    private static void sgdBody(float[][] a, int[] o, int i, VectorMask<Float> m, float negLr, float wd, float mu,
                                float keep, boolean momentum, boolean nesterov, boolean first, boolean decay) {
        FloatVector p = load(a, o, 0, i, m), d = load(a, o, 1, i, m);
        if (decay) {
            d = d.add(p.mul(wd));
        }
        if (momentum) {
            FloatVector buf = first ? d : load(a, o, 2, i, m).mul(mu).add(d.mul(keep));
            store(buf, a, o, 2, i, m);
            d = nesterov ? d.add(buf.mul(mu)) : buf;
        }
        store(p.add(d.mul(negLr)), a, o, 0, i, m);
    }

    private static void adam(UpdateStep.Adam s, float[][] a, int[] o, int from, int to) {
        float[] c = {(float) -s.stepSize(), (float) s.beta1(), (float) (1 - s.beta1()), (float) s.beta2(),
            (float) (1 - s.beta2()), (float) s.eps(), (float) s.weightDecay(), (float) s.shrink(),
            (float) s.bias2Sqrt()};
        int i = from;
        for (int b = from + S.loopBound(to - from); i < b; i += L) {
            adamBody(a, o, i, ALL, c, s.amsgrad());
        }
        if (i < to) {
            adamBody(a, o, i, S.indexInRange(i, to), c, s.amsgrad());
        }
    }

    /** c = {-stepSize, beta1, 1 - beta1, beta2, 1 - beta2, eps, weightDecay, shrink, bias2Sqrt}. */
    private static void adamBody(float[][] a, int[] o, int i, VectorMask<Float> k, float[] c, boolean amsgrad) {
        FloatVector p = load(a, o, 0, i, k), d = load(a, o, 1, i, k);
        if (c[7] != 1) {
            p = p.mul(c[7]);
        }
        if (c[6] != 0) {
            d = d.add(p.mul(c[6]));
        }
        FloatVector m = load(a, o, 2, i, k).mul(c[1]).add(d.mul(c[2]));
        FloatVector v = load(a, o, 3, i, k).mul(c[3]).add(d.mul(d).mul(c[4]));
        store(m, a, o, 2, i, k);
        store(v, a, o, 3, i, k);
        if (amsgrad) {
            v = load(a, o, 4, i, k).max(v);
            store(v, a, o, 4, i, k);
        }
        FloatVector denom = v.lanewise(VectorOperators.SQRT).div(c[8]).add(c[5]);
        store(p.add(m.div(denom).mul(c[0])), a, o, 0, i, k);
    }

    private static void rmsProp(UpdateStep.RmsProp s, float[][] a, int[] o, int from, int to) {
        float[] c = {(float) -s.lr(), (float) s.alpha(), (float) (1 - s.alpha()), (float) s.eps(),
            (float) s.weightDecay(), (float) s.momentum()};
        int bufAt = s.momentum() > 0 ? (s.centered() ? 4 : 3) : -1;
        int i = from;
        for (int b = from + S.loopBound(to - from); i < b; i += L) {
            rmsPropBody(a, o, i, ALL, c, s.centered(), bufAt);
        }
        if (i < to) {
            rmsPropBody(a, o, i, S.indexInRange(i, to), c, s.centered(), bufAt);
        }
    }

    /** c = {-lr, alpha, 1 - alpha, eps, weightDecay, momentum}; bufAt the momentum buffer's row index or -1. */
    private static void rmsPropBody(float[][] a, int[] o, int i, VectorMask<Float> k, float[] c, boolean centered,
                                    int bufAt) {
        FloatVector p = load(a, o, 0, i, k), d = load(a, o, 1, i, k);
        if (c[4] != 0) {
            d = d.add(p.mul(c[4]));
        }
        FloatVector sq = load(a, o, 2, i, k).mul(c[1]).add(d.mul(d).mul(c[2]));
        store(sq, a, o, 2, i, k);
        FloatVector avg = sq;
        if (centered) {
            FloatVector ga = load(a, o, 3, i, k).mul(c[1]).add(d.mul(c[2]));
            store(ga, a, o, 3, i, k);
            avg = sq.sub(ga.mul(ga));
        }
        FloatVector q = d.div(avg.lanewise(VectorOperators.SQRT).add(c[3]));
        if (bufAt >= 0) {
            q = load(a, o, bufAt, i, k).mul(c[5]).add(q);
            store(q, a, o, bufAt, i, k);
        }
        store(p.add(q.mul(c[0])), a, o, 0, i, k);
    }

    private static void adagrad(UpdateStep.Adagrad s, float[][] a, int[] o, int from, int to) {
        float negClr = (float) -s.clr(), wd = (float) s.weightDecay(), eps = (float) s.eps();
        int i = from;
        for (int b = from + S.loopBound(to - from); i < b; i += L) {
            adagradBody(a, o, i, ALL, negClr, wd, eps);
        }
        if (i < to) {
            adagradBody(a, o, i, S.indexInRange(i, to), negClr, wd, eps);
        }
    }

    private static void adagradBody(float[][] a, int[] o, int i, VectorMask<Float> k, float negClr, float wd,
                                    float eps) {
        FloatVector p = load(a, o, 0, i, k), d = load(a, o, 1, i, k);
        if (wd != 0) {
            d = d.add(p.mul(wd));
        }
        FloatVector sum = load(a, o, 2, i, k).add(d.mul(d));
        store(sum, a, o, 2, i, k);
        store(p.add(d.div(sum.lanewise(VectorOperators.SQRT).add(eps)).mul(negClr)), a, o, 0, i, k);
    }
}
