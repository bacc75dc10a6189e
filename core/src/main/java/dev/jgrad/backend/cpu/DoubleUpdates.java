package dev.jgrad.backend.cpu;

import dev.jgrad.backend.UpdateStep;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused optimizer updates on F64 arrays (generated from {@link FloatUpdates} by
 * core/tools/derive-updates.sh; edit that file instead): one pass that reads {@code p, g} and the states once
 * and writes {@code p} and the states once (formulas on the {@link UpdateStep} records). Each
 * rule's loop body is written once and run over whole vectors, then once masked for the tail.
 */
final class DoubleUpdates {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorMask<Double> ALL = S.maskAll(true);

    private DoubleUpdates() {
    }

    /**
     * Updates elements {@code [from, from + n)} of one row.
     *
     * @param step the rule and coefficients
     * @param a    the row's arrays {@code {p, g, states...}}
     * @param o    the element offset of each array's first element
     */
    static void apply(UpdateStep step, double[][] a, int[] o, int from, int n) {
        switch (step) {
            case UpdateStep.Sgd s -> sgd(s, a, o, from, from + n);
            case UpdateStep.Adam s -> adam(s, a, o, from, from + n);
            case UpdateStep.RmsProp s -> rmsProp(s, a, o, from, from + n);
            case UpdateStep.Adagrad s -> adagrad(s, a, o, from, from + n);
        }
    }

    private static DoubleVector load(double[][] a, int[] o, int k, int i, VectorMask<Double> m) {
        return DoubleVector.fromArray(S, a[k], o[k] + i, m);
    }

    private static void store(DoubleVector v, double[][] a, int[] o, int k, int i, VectorMask<Double> m) {
        v.intoArray(a[k], o[k] + i, m);
    }

    private static void sgd(UpdateStep.Sgd s, double[][] a, int[] o, int from, int to) {
        double lr = -s.lr(), wd = s.weightDecay(), mu = s.momentum();
        double keep = (1 - s.dampening());
        boolean momentum = s.momentum() != 0, nesterov = s.nesterov(), first = s.first(), decay = wd != 0;
        int i = from;
        for (int b = from + S.loopBound(to - from); i < b; i += L) {
            sgdBody(a, o, i, ALL, lr, wd, mu, keep, momentum, nesterov, first, decay);
        }
        if (i < to) {
            sgdBody(a, o, i, S.indexInRange(i, to), lr, wd, mu, keep, momentum, nesterov, first, decay);
        }
    }

    private static void sgdBody(double[][] a, int[] o, int i, VectorMask<Double> m, double negLr, double wd, double mu,
                                double keep, boolean momentum, boolean nesterov, boolean first, boolean decay) {
        DoubleVector p = load(a, o, 0, i, m), d = load(a, o, 1, i, m);
        if (decay) {
            d = d.add(p.mul(wd));
        }
        if (momentum) {
            DoubleVector buf = first ? d : load(a, o, 2, i, m).mul(mu).add(d.mul(keep));
            store(buf, a, o, 2, i, m);
            d = nesterov ? d.add(buf.mul(mu)) : buf;
        }
        store(p.add(d.mul(negLr)), a, o, 0, i, m);
    }

    private static void adam(UpdateStep.Adam s, double[][] a, int[] o, int from, int to) {
        double[] c = {-s.stepSize(), s.beta1(), (1 - s.beta1()), s.beta2(),
            (1 - s.beta2()), s.eps(), s.weightDecay(), s.shrink(),
            s.bias2Sqrt()};
        int i = from;
        for (int b = from + S.loopBound(to - from); i < b; i += L) {
            adamBody(a, o, i, ALL, c, s.amsgrad());
        }
        if (i < to) {
            adamBody(a, o, i, S.indexInRange(i, to), c, s.amsgrad());
        }
    }

    /** c = {-stepSize, beta1, 1 - beta1, beta2, 1 - beta2, eps, weightDecay, shrink, bias2Sqrt}. */
    private static void adamBody(double[][] a, int[] o, int i, VectorMask<Double> k, double[] c, boolean amsgrad) {
        DoubleVector p = load(a, o, 0, i, k), d = load(a, o, 1, i, k);
        if (c[7] != 1) {
            p = p.mul(c[7]);
        }
        if (c[6] != 0) {
            d = d.add(p.mul(c[6]));
        }
        DoubleVector m = load(a, o, 2, i, k).mul(c[1]).add(d.mul(c[2]));
        DoubleVector v = load(a, o, 3, i, k).mul(c[3]).add(d.mul(d).mul(c[4]));
        store(m, a, o, 2, i, k);
        store(v, a, o, 3, i, k);
        if (amsgrad) {
            v = load(a, o, 4, i, k).max(v);
            store(v, a, o, 4, i, k);
        }
        DoubleVector denom = v.lanewise(VectorOperators.SQRT).div(c[8]).add(c[5]);
        store(p.add(m.div(denom).mul(c[0])), a, o, 0, i, k);
    }

    private static void rmsProp(UpdateStep.RmsProp s, double[][] a, int[] o, int from, int to) {
        double[] c = {-s.lr(), s.alpha(), (1 - s.alpha()), s.eps(),
            s.weightDecay(), s.momentum()};
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
    private static void rmsPropBody(double[][] a, int[] o, int i, VectorMask<Double> k, double[] c, boolean centered,
                                    int bufAt) {
        DoubleVector p = load(a, o, 0, i, k), d = load(a, o, 1, i, k);
        if (c[4] != 0) {
            d = d.add(p.mul(c[4]));
        }
        DoubleVector sq = load(a, o, 2, i, k).mul(c[1]).add(d.mul(d).mul(c[2]));
        store(sq, a, o, 2, i, k);
        DoubleVector avg = sq;
        if (centered) {
            DoubleVector ga = load(a, o, 3, i, k).mul(c[1]).add(d.mul(c[2]));
            store(ga, a, o, 3, i, k);
            avg = sq.sub(ga.mul(ga));
        }
        DoubleVector q = d.div(avg.lanewise(VectorOperators.SQRT).add(c[3]));
        if (bufAt >= 0) {
            q = load(a, o, bufAt, i, k).mul(c[5]).add(q);
            store(q, a, o, bufAt, i, k);
        }
        store(p.add(q.mul(c[0])), a, o, 0, i, k);
    }

    private static void adagrad(UpdateStep.Adagrad s, double[][] a, int[] o, int from, int to) {
        double negClr = -s.clr(), wd = s.weightDecay(), eps = s.eps();
        int i = from;
        for (int b = from + S.loopBound(to - from); i < b; i += L) {
            adagradBody(a, o, i, ALL, negClr, wd, eps);
        }
        if (i < to) {
            adagradBody(a, o, i, S.indexInRange(i, to), negClr, wd, eps);
        }
    }

    private static void adagradBody(double[][] a, int[] o, int i, VectorMask<Double> k, double negClr, double wd,
                                    double eps) {
        DoubleVector p = load(a, o, 0, i, k), d = load(a, o, 1, i, k);
        if (wd != 0) {
            d = d.add(p.mul(wd));
        }
        DoubleVector sum = load(a, o, 2, i, k).add(d.mul(d));
        store(sum, a, o, 2, i, k);
        store(p.add(d.div(sum.lanewise(VectorOperators.SQRT).add(eps)).mul(negClr)), a, o, 0, i, k);
    }
}
