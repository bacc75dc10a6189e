package dev.jgrad.backend.cpu;

import dev.jgrad.backend.UpdateStep;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused optimizer updates on F64 arrays (generated from {@link FloatUpdates} by
 * core/tools/derive-updates.sh; edit that file instead): one pass that reads {@code p, g} and the states once
 * and writes {@code p} and the states once (formulas on the {@link UpdateStep} records). Each
 * rule is one method: a vector loop with everything inline (a helper taking vectors or masks that
 * C2 declines to inline boxes them, measured 20x slower), then a scalar tail in the same double
 * arithmetic.
 */
final class DoubleUpdates {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

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

    private static void sgd(UpdateStep.Sgd s, double[][] a, int[] o, int from, int to) {
        double negLr = -s.lr(), wd = s.weightDecay(), mu = s.momentum();
        double keep = (1 - s.dampening());
        boolean momentum = s.momentum() != 0, nesterov = s.nesterov(), first = s.first();
        double[] p = a[0], g = a[1], b = momentum ? a[2] : a[0];
        int po = o[0], go = o[1], bo = momentum ? o[2] : o[0];
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, p, po + i), d = DoubleVector.fromArray(S, g, go + i);
            if (wd != 0) {
                d = d.add(x.mul(wd));
            }
            if (momentum) {
                DoubleVector buf = first ? d : DoubleVector.fromArray(S, b, bo + i).mul(mu).add(d.mul(keep));
                buf.intoArray(b, bo + i);
                d = nesterov ? d.add(buf.mul(mu)) : buf;
            }
            x.add(d.mul(negLr)).intoArray(p, po + i);
        }
        for (; i < to; i++) {
            double d = wd != 0 ? g[go + i] + p[po + i] * wd : g[go + i];
            if (momentum) {
                double buf = first ? d : b[bo + i] * mu + d * keep;
                b[bo + i] = buf;
                d = nesterov ? d + buf * mu : buf;
            }
            p[po + i] += d * negLr;
        }
    }

    private static void adam(UpdateStep.Adam s, double[][] a, int[] o, int from, int to) {
        double negStep = -s.stepSize(), b1 = s.beta1(), c1 = (1 - s.beta1());
        double b2 = s.beta2(), c2 = (1 - s.beta2()), eps = s.eps();
        double wd = s.weightDecay(), shrink = s.shrink(), bias2 = s.bias2Sqrt();
        boolean ams = s.amsgrad();
        double[] p = a[0], g = a[1], m = a[2], v = a[3], vmax = ams ? a[4] : a[3];
        int po = o[0], go = o[1], mo = o[2], vo = o[3], xo = ams ? o[4] : o[3];
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, p, po + i), d = DoubleVector.fromArray(S, g, go + i);
            if (shrink != 1) {
                x = x.mul(shrink);
            }
            if (wd != 0) {
                d = d.add(x.mul(wd));
            }
            DoubleVector mi = DoubleVector.fromArray(S, m, mo + i).mul(b1).add(d.mul(c1));
            DoubleVector vi = DoubleVector.fromArray(S, v, vo + i).mul(b2).add(d.mul(d).mul(c2));
            mi.intoArray(m, mo + i);
            vi.intoArray(v, vo + i);
            if (ams) {
                vi = DoubleVector.fromArray(S, vmax, xo + i).max(vi);
                vi.intoArray(vmax, xo + i);
            }
            DoubleVector denom = vi.lanewise(VectorOperators.SQRT).div(bias2).add(eps);
            x.add(mi.div(denom).mul(negStep)).intoArray(p, po + i);
        }
        for (; i < to; i++) {
            double x = shrink != 1 ? p[po + i] * shrink : p[po + i];
            double d = wd != 0 ? g[go + i] + x * wd : g[go + i];
            double mi = m[mo + i] * b1 + d * c1, vi = v[vo + i] * b2 + d * d * c2;
            m[mo + i] = mi;
            v[vo + i] = vi;
            if (ams) {
                vi = Math.max(vmax[xo + i], vi);
                vmax[xo + i] = vi;
            }
            p[po + i] = x + mi / (Math.sqrt(vi) / bias2 + eps) * negStep;
        }
    }

    private static void rmsProp(UpdateStep.RmsProp s, double[][] a, int[] o, int from, int to) {
        double negLr = -s.lr(), alpha = s.alpha(), c = (1 - s.alpha()), eps = s.eps();
        double wd = s.weightDecay(), mu = s.momentum();
        boolean centered = s.centered(), momentum = s.momentum() > 0;
        int gaAt = centered ? 3 : 2, bufAt = momentum ? (centered ? 4 : 3) : 2;
        double[] p = a[0], g = a[1], sq = a[2], ga = a[gaAt], b = a[bufAt];
        int po = o[0], go = o[1], so = o[2], gao = o[gaAt], bo = o[bufAt];
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, p, po + i), d = DoubleVector.fromArray(S, g, go + i);
            if (wd != 0) {
                d = d.add(x.mul(wd));
            }
            DoubleVector si = DoubleVector.fromArray(S, sq, so + i).mul(alpha).add(d.mul(d).mul(c));
            si.intoArray(sq, so + i);
            DoubleVector avg = si;
            if (centered) {
                DoubleVector gi = DoubleVector.fromArray(S, ga, gao + i).mul(alpha).add(d.mul(c));
                gi.intoArray(ga, gao + i);
                avg = si.sub(gi.mul(gi));
            }
            DoubleVector q = d.div(avg.lanewise(VectorOperators.SQRT).add(eps));
            if (momentum) {
                q = DoubleVector.fromArray(S, b, bo + i).mul(mu).add(q);
                q.intoArray(b, bo + i);
            }
            x.add(q.mul(negLr)).intoArray(p, po + i);
        }
        for (; i < to; i++) {
            double x = p[po + i], d = wd != 0 ? g[go + i] + x * wd : g[go + i];
            double si = sq[so + i] * alpha + d * d * c, avg = si;
            sq[so + i] = si;
            if (centered) {
                double gi = ga[gao + i] * alpha + d * c;
                ga[gao + i] = gi;
                avg = si - gi * gi;
            }
            double q = d / (Math.sqrt(avg) + eps);
            if (momentum) {
                q = b[bo + i] * mu + q;
                b[bo + i] = q;
            }
            p[po + i] = x + q * negLr;
        }
    }

    private static void adagrad(UpdateStep.Adagrad s, double[][] a, int[] o, int from, int to) {
        double negClr = -s.clr(), wd = s.weightDecay(), eps = s.eps();
        double[] p = a[0], g = a[1], sum = a[2];
        int po = o[0], go = o[1], so = o[2];
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, p, po + i), d = DoubleVector.fromArray(S, g, go + i);
            if (wd != 0) {
                d = d.add(x.mul(wd));
            }
            DoubleVector si = DoubleVector.fromArray(S, sum, so + i).add(d.mul(d));
            si.intoArray(sum, so + i);
            x.add(d.div(si.lanewise(VectorOperators.SQRT).add(eps)).mul(negClr)).intoArray(p, po + i);
        }
        for (; i < to; i++) {
            double x = p[po + i], d = wd != 0 ? g[go + i] + x * wd : g[go + i];
            double si = sum[so + i] + d * d;
            sum[so + i] = si;
            p[po + i] = x + d / (Math.sqrt(si) + eps) * negClr;
        }
    }
}
