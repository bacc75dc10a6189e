package dev.jgrad.backend.cpu;

import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.View;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 kernels of the GRU sequence primitives ({@code Backend.gruForward} and {@code gruBackward})
 * over contiguous data, built as {@link LstmSequence}: per step the recurrent product by
 * {@link SgemmDirect} against a row-major copy of the weight into a scratch row block, then one fused pass per batch row for the bias, the gate
 * nonlinearities and the new hidden state (backward: the gate gradients and the carried
 * {@code z · dh}). Scratch is allocated once per call, not per step; threads take whole blocks of
 * batch rows through the sequence, one fork per call (see {@link LstmSequence}).
 */
final class GruSequence {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final int steps;
    private final int batch;
    private final int hidden;

    private GruSequence(View hiddens) {
        steps = hiddens.shape()[0];
        batch = hiddens.shape()[1];
        hidden = hiddens.shape()[2];
    }

    /** {@code bHh} must have unit stride. */
    static void forward(View xProj, View wHh, View bHh, View h0, View gates, View hiddens) {
        new GruSequence(hiddens).run(xProj, wHh, bHh, h0, gates, hiddens);
    }

    static void backward(View gates, View hiddens, View h0, View wHh, View gradHidden, View gradInputGates,
            View gradHiddenGates, View gradH0) {
        new GruSequence(hiddens).reverse(gates, hiddens, h0, wHh, gradHidden, gradInputGates, gradHiddenGates, gradH0);
    }

    private void run(View xProj, View wHh, View bHh, View h0, View gates, View hiddens) {
        Sgemm.Operand wT = LstmSequence.rowMajor(wHh, true);
        float[] gh = new float[batch * 3 * hidden];
        int parts = LstmSequence.rowParts(steps, batch, hidden);
        Parallel.forEach(parts, p -> runRows(xProj, wT, bHh, h0, gates, hiddens, gh, batch * p / parts,
                batch * (p + 1) / parts));
    }

    /** Batch rows {@code [r0, r1)} through every step (rows never meet within a sequence). */
    private void runRows(View xProj, Sgemm.Operand wT, View bHh, View h0, View gates, View hiddens, float[] gh, int r0,
                         int r1) {
        int h = hidden, n = batch, g3 = 3 * h, g4 = 4 * h;
        float[] xp = f32(xProj), ga = f32(gates), ha = f32(hiddens), b = f32(bHh);
        Sgemm.Operand hPrev = new Sgemm.Operand(f32(h0), h0.offset() + r0 * h, h, 1);
        for (int t = 0; t < steps; t++) {
            SgemmDirect.gemm(r1 - r0, g3, h, hPrev, wT, gh, r0 * g3, g3);
            float[] hp = t == 0 ? f32(h0) : ha;
            int hpOff = t == 0 ? h0.offset() : hiddens.offset() + (t - 1) * n * h;
            for (int r = r0; r < r1; r++) {
                int row = t * n + r;
                cellForward(xp, xProj.offset() + row * g3, gh, r * g3, b, bHh.offset(), ga, gates.offset() + row * g4,
                        hp, hpOff + r * h, ha, hiddens.offset() + row * h);
            }
            hPrev = new Sgemm.Operand(ha, hiddens.offset() + (t * n + r0) * h, h, 1);
        }
    }

    /** One batch row of one step: gates {@code r, z, n, a_n} written to {@code ga}, {@code h_t} to {@code hv}. */
    private void cellForward(float[] xp, int xo, float[] gh, int gho, float[] b, int bo, float[] ga, int go,
            float[] hp, int hpo, float[] hv, int ho) {
        int h = hidden, j = 0;
        for (int e = S.loopBound(2 * h); j < e; j += L) {
            FloatVector.fromArray(S, xp, xo + j).add(FloatVector.fromArray(S, gh, gho + j))
                    .add(FloatVector.fromArray(S, b, bo + j)).intoArray(ga, go + j);
        }
        for (; j < 2 * h; j++) {
            ga[go + j] = xp[xo + j] + gh[gho + j] + b[bo + j];
        }
        FloatUnary.sigmoid(ga, go, ga, go, 2 * h);
        j = 0;
        for (int e = S.loopBound(h); j < e; j += L) {
            FloatVector an = FloatVector.fromArray(S, gh, gho + 2 * h + j)
                    .add(FloatVector.fromArray(S, b, bo + 2 * h + j));
            an.intoArray(ga, go + 3 * h + j);
            an.fma(FloatVector.fromArray(S, ga, go + j), FloatVector.fromArray(S, xp, xo + 2 * h + j))
                    .intoArray(ga, go + 2 * h + j);
        }
        for (; j < h; j++) {
            float an = gh[gho + 2 * h + j] + b[bo + 2 * h + j];
            ga[go + 3 * h + j] = an;
            ga[go + 2 * h + j] = an * ga[go + j] + xp[xo + 2 * h + j];
        }
        FloatUnary.tanh(ga, go + 2 * h, ga, go + 2 * h, h);
        j = 0;
        for (int e = S.loopBound(h); j < e; j += L) {
            FloatVector nv = FloatVector.fromArray(S, ga, go + 2 * h + j);
            FloatVector.fromArray(S, hp, hpo + j).sub(nv).fma(FloatVector.fromArray(S, ga, go + h + j), nv)
                    .intoArray(hv, ho + j);
        }
        for (; j < h; j++) {
            float nv = ga[go + 2 * h + j];
            hv[ho + j] = nv + ga[go + h + j] * (hp[hpo + j] - nv);
        }
    }

    private void reverse(View gates, View hiddens, View h0, View wHh, View gradHidden, View gradInputGates,
            View gradHiddenGates, View gradH0) {
        Sgemm.Operand w = LstmSequence.rowMajor(wHh, false);
        float[] dh = new float[batch * hidden], carry = new float[batch * hidden];
        int parts = LstmSequence.rowParts(steps, batch, hidden);
        Parallel.forEach(parts, p -> reverseRows(gates, hiddens, h0, w, gradHidden, gradInputGates, gradHiddenGates,
                gradH0, dh, carry, batch * p / parts, batch * (p + 1) / parts));
    }

    private void reverseRows(View gates, View hiddens, View h0, Sgemm.Operand w, View gradHidden, View gradInputGates,
            View gradHiddenGates, View gradH0, float[] dh, float[] carry, int r0, int r1) {
        int h = hidden, n = batch, g3 = 3 * h, g4 = 4 * h, m = r1 - r0;
        float[] ga = f32(gates), ha = f32(hiddens), gha = f32(gradHidden), din = f32(gradInputGates);
        float[] dhid = f32(gradHiddenGates);
        for (int t = steps - 1; t >= 0; t--) {
            boolean recurrent = t < steps - 1;
            if (recurrent) {
                SgemmDirect.gemm(m, h, g3, new Sgemm.Operand(dhid, gradHiddenGates.offset() + ((t + 1) * n + r0) * g3,
                        g3, 1), w, dh, r0 * h, h);
            }
            float[] hp = t == 0 ? f32(h0) : ha;
            int hpOff = t == 0 ? h0.offset() : hiddens.offset() + (t - 1) * n * h;
            for (int r = r0; r < r1; r++) {
                int row = t * n + r;
                cellBackward(recurrent, ga, gates.offset() + row * g4, hp, hpOff + r * h, gha,
                        gradHidden.offset() + row * h, dh, carry, r * h, din, gradInputGates.offset() + row * g3, dhid,
                        gradHiddenGates.offset() + row * g3);
            }
        }
        float[] out = f32(gradH0);
        if (steps == 0) {
            Arrays.fill(out, gradH0.offset() + r0 * h, gradH0.offset() + r1 * h, 0f);
        } else {
            SgemmDirect.gemm(m, h, g3, new Sgemm.Operand(dhid, gradHiddenGates.offset() + r0 * g3, g3, 1), w, out,
                    gradH0.offset() + r0 * h, h);
        }
        for (int i = r0 * h; i < r1 * h; i++) {
            out[gradH0.offset() + i] += carry[i];
        }
    }

    /**
     * One batch row of one step, backward: {@code dh} is the outside gradient plus (when
     * {@code recurrent}) the product and {@code carry} from the step after; writes the input- and
     * hidden-side gate gradients and leaves {@code z · dh} in {@code carry}.
     */
    private void cellBackward(boolean recurrent, float[] ga, int go, float[] hp, int hpo, float[] gh, int gho,
            float[] dh, float[] carry, int ro, float[] din, int dio, float[] dhid, int dho) {
        int h = hidden, j = 0;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int e = S.loopBound(h); j < e; j += L) {
            FloatVector d = FloatVector.fromArray(S, gh, gho + j);
            if (recurrent) {
                d = d.add(FloatVector.fromArray(S, dh, ro + j)).add(FloatVector.fromArray(S, carry, ro + j));
            }
            FloatVector r = FloatVector.fromArray(S, ga, go + j), z = FloatVector.fromArray(S, ga, go + h + j);
            FloatVector nv = FloatVector.fromArray(S, ga, go + 2 * h + j);
            FloatVector an = FloatVector.fromArray(S, ga, go + 3 * h + j);
            FloatVector dan = d.mul(one.sub(z)).mul(one.sub(nv.mul(nv)));
            FloatVector daz = d.mul(FloatVector.fromArray(S, hp, hpo + j).sub(nv)).mul(z).mul(one.sub(z));
            FloatVector dar = dan.mul(an).mul(r).mul(one.sub(r));
            dar.intoArray(din, dio + j);
            dar.intoArray(dhid, dho + j);
            daz.intoArray(din, dio + h + j);
            daz.intoArray(dhid, dho + h + j);
            dan.intoArray(din, dio + 2 * h + j);
            dan.mul(r).intoArray(dhid, dho + 2 * h + j);
            d.mul(z).intoArray(carry, ro + j);
        }
        for (; j < h; j++) {
            float d = gh[gho + j] + (recurrent ? dh[ro + j] + carry[ro + j] : 0f);
            float r = ga[go + j], z = ga[go + h + j], nv = ga[go + 2 * h + j], an = ga[go + 3 * h + j];
            float dan = d * (1 - z) * (1 - nv * nv), daz = d * (hp[hpo + j] - nv) * z * (1 - z);
            float dar = dan * an * r * (1 - r);
            din[dio + j] = dar;
            dhid[dho + j] = dar;
            din[dio + h + j] = daz;
            dhid[dho + h + j] = daz;
            din[dio + 2 * h + j] = dan;
            dhid[dho + 2 * h + j] = dan * r;
            carry[ro + j] = d * z;
        }
    }

    private static float[] f32(View v) {
        return ((HeapBuffer) v.buffer()).f32;
    }
}
