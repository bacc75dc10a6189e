package dev.jgrad.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 kernels of the per-channel normalisation primitives over contiguous {@code [N, C, S]} data:
 * each reads its inputs once (the composed defaults take three to five passes and full-size
 * temporaries). A channel's data is {@code N} rows of {@code S} contiguous elements; rows are
 * summed in float vectors and combined in double, and the statistics pass centres each row on its
 * own mean while the row is in L1 (Chan's pairwise update), so a large mean does not cancel the
 * variance away as {@code E[x²] - E[x]²} would. Work is split over channels (reductions) or rows.
 */
final class ChannelNorm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ChannelNorm() {
    }

    /** {@code mean[c]} and biased {@code var[c]} of {@code x [n, c, s]} at offset {@code xo}. */
    static void moments(float[] x, int xo, int n, int c, int s, float[] mean, int mo, int ms, float[] var, int vo,
                        int vs) {
        int parts = Parallel.parts((long) n * c * s, Parallel.STREAM_GRAIN / 4);
        Parallel.forEach(parts, p -> {
            for (int ch = c * p / parts, end = c * (p + 1) / parts; ch < end; ch++) {
                double m = 0, m2 = 0;
                long count = 0;
                for (int i = 0; i < n; i++) {
                    int base = xo + (i * c + ch) * s;
                    double rowMean = sum(x, base, s) / s;
                    double rowM2 = centredSquares(x, base, s, (float) rowMean);
                    long total = count + s;
                    double delta = rowMean - m;
                    m += delta * s / total;
                    m2 += rowM2 + delta * delta * ((double) count * s / total);
                    count = total;
                }
                mean[mo + ch * ms] = (float) m;
                var[vo + ch * vs] = (float) (m2 / count);
            }
        });
    }

    /** {@code out = a * sa[c] + x * sx[c] + shift[c]} per row of {@code s}; {@code x} may be null. */
    static void affine(float[] a, int ao, float[] sa, int sao, int sas, float[] x, int xo, float[] sx, int sxo,
                       int sxs, float[] shift, int so, int ss, float[] out, int oo, int n, int c, int s) {
        int rows = n * c;
        int parts = Parallel.parts((long) rows * s, Parallel.STREAM_GRAIN / 4);
        Parallel.forEach(parts, p -> {
            for (int r = (int) ((long) rows * p / parts), end = (int) ((long) rows * (p + 1) / parts); r < end; r++) {
                int ch = r % c, off = r * s;
                float ka = sa[sao + ch * sas], t = shift[so + ch * ss];
                if (x == null) {
                    affineRow(a, ao + off, ka, t, out, oo + off, s);
                } else {
                    affineRow2(a, ao + off, ka, x, xo + off, sx[sxo + ch * sxs], t, out, oo + off, s);
                }
            }
        });
    }

    /** {@code sums[c] = Σ g}, {@code dots[c] = Σ g * (x - center[c])} over the rows of channel {@code c}. */
    static void sums(float[] g, int go, float[] x, int xo, float[] center, int co, int cs, float[] sums, int so,
                     int ss, float[] dots, int d0, int ds, int n, int c, int s) {
        int parts = Parallel.parts((long) n * c * s, Parallel.STREAM_GRAIN / 4);
        Parallel.forEach(parts, p -> {
            double[] acc = new double[2];
            for (int ch = c * p / parts, end = c * (p + 1) / parts; ch < end; ch++) {
                float mu = center[co + ch * cs];
                acc[0] = 0;
                acc[1] = 0;
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * s;
                    rowSums(g, go + off, x, xo + off, mu, s, acc);
                }
                sums[so + ch * ss] = (float) acc[0];
                dots[d0 + ch * ds] = (float) acc[1];
            }
        });
    }

    /** @return the sum of {@code x[off, off + n)}, accumulated in lanes then in double (also layer norm's row mean) */
    static double sum(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i));
        }
        double total = LaneSum.of(acc);
        for (; i < n; i++) {
            total += x[off + i];
        }
        return total;
    }

    /** @return {@code Σ (x[i] - mu)²} over {@code x[off, off + n)} (also layer norm's row variance) */
    static double centredSquares(float[] x, int off, int n, float mu) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, off + i).sub(mu);
            acc = d.fma(d, acc);
        }
        double total = LaneSum.of(acc);
        for (; i < n; i++) {
            double d = x[off + i] - mu;
            total += d * d;
        }
        return total;
    }

    private static void rowSums(float[] g, int go, float[] x, int xo, float mu, int n, double[] acc) {
        FloatVector sg = FloatVector.zero(S), sgx = FloatVector.zero(S);
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            sg = sg.add(gv);
            sgx = FloatVector.fromArray(S, x, xo + i).sub(mu).fma(gv, sgx);
        }
        double a = LaneSum.of(sg), d = LaneSum.of(sgx);
        for (; i < n; i++) {
            a += g[go + i];
            d += (double) g[go + i] * (x[xo + i] - mu);
        }
        acc[0] += a;
        acc[1] += d;
    }

    private static void affineRow(float[] a, int ao, float ka, float t, float[] out, int oo, int n) {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(S, a, ao + i).fma(ka, t).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = Math.fma(a[ao + i], ka, t);
        }
    }

    private static void affineRow2(float[] a, int ao, float ka, float[] x, int xo, float kx, float t, float[] out,
                                   int oo, int n) {
        FloatVector vka = FloatVector.broadcast(S, ka), vkx = FloatVector.broadcast(S, kx);
        FloatVector vt = FloatVector.broadcast(S, t);
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(S, x, xo + i).fma(vkx, FloatVector.fromArray(S, a, ao + i).fma(vka, vt))
                    .intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = Math.fma(x[xo + i], kx, Math.fma(a[ao + i], ka, t));
        }
    }
}
