package dev.jgrad.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 kernels of layer normalisation over the rows of a contiguous {@code [R, S]}: a row (a few KB)
 * stays in L1 between its passes, so each kernel reads its inputs from memory once and writes its
 * outputs once, where the composed default takes some ten passes and full-size temporaries.
 * Forward: the row sum, the centred squares (centring on the row's own mean, so a large mean does not
 * cancel the variance) and the normalised, scaled row. Backward: one pass for the row sums of
 * {@code g*w} and {@code g*w*(x - mean)} that also accumulates the parameter gradients, one for
 * {@code dx}. Rows are split over the threads; each thread accumulates {@code dweight} and
 * {@code dbias} in its own row of partial sums, added up at the end. Weight and bias arrive dense
 * ({@code [S]} from offset 0 of their arrays, ones and zeros standing in for absent ones).
 */
final class LayerNormKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private LayerNormKernel() {
    }

    /** {@code out}, {@code mean[r]} and {@code rstd[r]} of layer norm over {@code x [rows, cols]} at {@code xo}. */
    static void forward(float[] x, int xo, float[] w, float[] b, double eps, float[] out, int oo, float[] mean,
                        int mo, float[] rstd, int ro, int rows, int cols) {
        int parts = Parallel.parts((long) rows * cols, Parallel.STREAM_GRAIN / 4);
        Parallel.forEach(parts, p -> {
            for (int r = rows * p / parts, end = rows * (p + 1) / parts; r < end; r++) {
                int off = r * cols;
                float mu = (float) (ChannelNorm.sum(x, xo + off, cols) / cols);
                float rs = (float) (1.0 / Math.sqrt(ChannelNorm.centredSquares(x, xo + off, cols, mu) / cols + eps));
                mean[mo + r] = mu;
                rstd[ro + r] = rs;
                normalizeRow(x, xo + off, mu, rs, w, b, out, oo + off, cols);
            }
        });
    }

    /**
     * The input and parameter gradients; {@code g} is read as {@code g[go + r*grs + c*gcs]} (any
     * strides), {@code dx}, {@code dw}, {@code db} may be null (not wanted).
     */
    static void backward(float[] g, int go, int grs, int gcs, float[] x, int xo, float[] mean, int mo, float[] rstd,
                         int ro, float[] w, float[] dx, int dxo, float[] dw, int dwo, float[] db, int dbo, int rows,
                         int cols) {
        int parts = Parallel.parts((long) rows * cols, Parallel.STREAM_GRAIN / 4);
        float[][] pw = new float[parts][], pb = new float[parts][];
        Parallel.forEach(parts, p -> {
            // each thread allocates its partial sums in its own allocation buffer: arrays allocated
            // side by side share a cache line at their boundary, and the two threads' read-modify-writes
            // of every row then bounce it between the cores (the backward ran 2x slower on two threads
            // than on one)
            pw[p] = new float[cols];
            pb[p] = new float[cols];
            float[] scratch = gcs == 1 ? null : new float[cols];
            float[] acc = new float[2];
            int filledRow = -1;
            for (int r = rows * p / parts, end = rows * (p + 1) / parts; r < end; r++) {
                int xoff = xo + r * cols, goff = go + r * grs;
                float[] gr = g;
                if (scratch != null) {
                    if (grs != 0 || filledRow < 0) {
                        gather(g, goff, gcs, scratch, cols);
                        filledRow = r;
                    }
                    gr = scratch;
                    goff = 0;
                }
                float mu = mean[mo + r], rs = rstd[ro + r];
                rowSums(gr, goff, x, xoff, mu, rs, w, pw[p], pb[p], cols, acc);
                if (dx != null) {
                    float k2 = -rs * rs * rs * acc[1] / cols;
                    float k3 = -rs * acc[0] / cols - k2 * mu;
                    dxRow(gr, goff, x, xoff, w, rs, k2, k3, dx, dxo + r * cols, cols);
                }
            }
        });
        reduceParts(pw, dw, dwo, cols);
        reduceParts(pb, db, dbo, cols);
    }

    private static void gather(float[] g, int off, int stride, float[] dst, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] = g[off + i * stride];
        }
    }

    private static void reduceParts(float[][] parts, float[] out, int oo, int n) {
        if (out == null) {
            return;
        }
        System.arraycopy(parts[0], 0, out, oo, n);
        for (int p = 1; p < parts.length; p++) {
            float[] part = parts[p];
            int i = 0;
            for (int bound = S.loopBound(n); i < bound; i += L) {
                FloatVector.fromArray(S, out, oo + i).add(FloatVector.fromArray(S, part, i)).intoArray(out, oo + i);
            }
            for (; i < n; i++) {
                out[oo + i] += part[i];
            }
        }
    }

    /** {@code out = (x*rs - mu*rs) * w + b} along one row. */
    private static void normalizeRow(float[] x, int xo, float mu, float rs, float[] w, float[] b, float[] out, int oo,
                                     int n) {
        float shift = -mu * rs;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector xh = FloatVector.fromArray(S, x, xo + i).fma(rs, shift);
            xh.fma(FloatVector.fromArray(S, w, i), FloatVector.fromArray(S, b, i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = Math.fma(Math.fma(x[xo + i], rs, shift), w[i], b[i]);
        }
    }

    /**
     * {@code acc = {Σ g*w, Σ g*w*(x - mu)}} along one row; adds {@code g * xhat} to {@code pw} and
     * {@code g} to {@code pb}.
     */
    private static void rowSums(float[] g, int go, float[] x, int xo, float mu, float rs, float[] w, float[] pw,
                                float[] pb, int n, float[] acc) {
        FloatVector sa = FloatVector.zero(S), sd = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            FloatVector xc = FloatVector.fromArray(S, x, xo + i).sub(mu);
            FloatVector gw = gv.mul(FloatVector.fromArray(S, w, i));
            sa = sa.add(gw);
            sd = gw.fma(xc, sd);
            gv.fma(xc.mul(rs), FloatVector.fromArray(S, pw, i)).intoArray(pw, i);
            gv.add(FloatVector.fromArray(S, pb, i)).intoArray(pb, i);
        }
        float a = LaneSum.of(sa), d = LaneSum.of(sd);
        for (; i < n; i++) {
            float gv = g[go + i], xc = x[xo + i] - mu, gw = gv * w[i];
            a += gw;
            d += gw * xc;
            pw[i] += gv * xc * rs;
            pb[i] += gv;
        }
        acc[0] = a;
        acc[1] = d;
    }

    /** {@code dx = g*w*rs + x*k2 + k3} along one row. */
    private static void dxRow(float[] g, int go, float[] x, int xo, float[] w, float rs, float k2, float k3,
                              float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector gw = FloatVector.fromArray(S, g, go + i).mul(FloatVector.fromArray(S, w, i));
            FloatVector.fromArray(S, x, xo + i).fma(FloatVector.broadcast(S, k2), gw.fma(rs, k3))
                    .intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            dx[dxo + i] = Math.fma(x[xo + i], k2, Math.fma(g[go + i] * w[i], rs, k3));
        }
    }
}
