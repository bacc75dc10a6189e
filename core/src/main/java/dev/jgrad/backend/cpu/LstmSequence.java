package dev.jgrad.backend.cpu;

import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.View;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 kernels of the LSTM sequence primitives ({@code Backend.lstmForward} and {@code lstmBackward})
 * over contiguous data. Per step: the recurrent product by {@link SgemmDirect} (no packing: at
 * {@code [32, 128] · [128, 512]} the per-step packing of {@link MatMul}'s other paths costs as much
 * as it saves) against a row-major copy of {@code W_hhᵀ} (backward: {@code W_hh}) made once per
 * call, written straight into the step's slice of the gate buffer; then one fused pass per batch
 * row that adds the input projection, applies the gate nonlinearities and updates the cell — where
 * the composed default takes about a dozen elementwise passes and temporaries. Batch rows never
 * meet inside a sequence (row r's state depends only on row r's past), so the threads take whole
 * blocks of rows through every step with one fork per call: splitting each step instead (MatMul's
 * split) measured no clear gain, as a fork per step costs what it saves. No buffer is allocated per
 * step.
 */
final class LstmSequence {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Recurrent multiply-adds (times two) per thread below which one thread runs the sequence. */
    private static final long GRAIN = 1L << 20;

    private final int steps;
    private final int batch;
    private final int hidden;

    private LstmSequence(View cells) {
        steps = cells.shape()[0];
        batch = cells.shape()[1];
        hidden = cells.shape()[2];
    }

    static void forward(View xProj, View wHh, View h0, View c0, View gates, View cells, View hiddens) {
        new LstmSequence(cells).run(f32(xProj), xProj.offset(), wHh, h0, c0, gates, cells, hiddens);
    }

    static void backward(View gates, View cells, View c0, View wHh, View gradHidden, View gradCells, View gradGates,
            View gradH0, View gradC0) {
        new LstmSequence(cells).reverse(gates, cells, c0, wHh, gradHidden, gradCells, gradGates, gradH0, gradC0);
    }

    /**
     * Threads for a whole recurrent sequence (LSTM or GRU): blocks of at least 8 batch rows (the direct
     * kernel's row block), and enough work per thread to pay for the fork.
     */
    static int rowParts(int steps, int batch, int hidden) {
        long work = (long) steps * batch * hidden * hidden * 8;
        return Math.max(1, Math.min(batch / 8, Parallel.parts(work, GRAIN)));
    }

    private void run(float[] xp, int xpo, View wHh, View h0, View c0, View gates, View cells, View hiddens) {
        Sgemm.Operand wT = rowMajor(wHh, true);
        int parts = rowParts(steps, batch, hidden);
        Parallel.forEach(parts, p -> runRows(xp, xpo, wT, h0, c0, gates, cells, hiddens, batch * p / parts,
                batch * (p + 1) / parts));
    }

    private void runRows(float[] xp, int xpo, Sgemm.Operand wT, View h0, View c0, View gates, View cells,
                         View hiddens, int r0, int r1) {
        int h = hidden, n = batch, g4 = 4 * h;
        float[] ga = f32(gates), ca = f32(cells), ha = f32(hiddens), c0a = f32(c0);
        Sgemm.Operand hPrev = new Sgemm.Operand(f32(h0), h0.offset() + r0 * h, h, 1);
        for (int t = 0; t < steps; t++) {
            int gOff = gates.offset() + t * n * g4, sOff = t * n * h;
            SgemmDirect.gemm(r1 - r0, g4, h, hPrev, wT, ga, gOff + r0 * g4, g4);
            float[] cp = t == 0 ? c0a : ca;
            int cpOff = t == 0 ? c0.offset() : cells.offset() + sOff - n * h;
            for (int r = r0; r < r1; r++) {
                cellForward(xp, xpo + (t * n + r) * g4, ga, gOff + r * g4, cp, cpOff + r * h, ca,
                        cells.offset() + sOff + r * h, ha, hiddens.offset() + sOff + r * h);
            }
            hPrev = new Sgemm.Operand(ha, hiddens.offset() + sOff + r0 * h, h, 1);
        }
    }

    /**
     * One batch row of one step: {@code a = gates + xp} (gates holds the recurrent product), the
     * activations written back over {@code a}, then {@code c = f c_prev + i g}, {@code h = o tanh(c)}.
     */
    private void cellForward(float[] xp, int xo, float[] ga, int go, float[] cp, int cpo, float[] c, int co,
            float[] hv, int ho) {
        int h = hidden, g4 = 4 * h, j = 0;
        for (int b = S.loopBound(g4); j < b; j += L) {
            FloatVector.fromArray(S, ga, go + j).add(FloatVector.fromArray(S, xp, xo + j)).intoArray(ga, go + j);
        }
        for (; j < g4; j++) {
            ga[go + j] += xp[xo + j];
        }
        FloatUnary.sigmoid(ga, go, ga, go, 2 * h);
        FloatUnary.tanh(ga, go + 2 * h, ga, go + 2 * h, h);
        FloatUnary.sigmoid(ga, go + 3 * h, ga, go + 3 * h, h);
        j = 0;
        for (int b = S.loopBound(h); j < b; j += L) {
            FloatVector i = FloatVector.fromArray(S, ga, go + j), f = FloatVector.fromArray(S, ga, go + h + j);
            FloatVector g = FloatVector.fromArray(S, ga, go + 2 * h + j);
            f.mul(FloatVector.fromArray(S, cp, cpo + j)).add(i.mul(g)).intoArray(c, co + j);
        }
        for (; j < h; j++) {
            c[co + j] = ga[go + h + j] * cp[cpo + j] + ga[go + j] * ga[go + 2 * h + j];
        }
        FloatUnary.tanh(c, co, hv, ho, h);
        j = 0;
        for (int b = S.loopBound(h); j < b; j += L) {
            FloatVector o = FloatVector.fromArray(S, ga, go + 3 * h + j);
            FloatVector.fromArray(S, hv, ho + j).mul(o).intoArray(hv, ho + j);
        }
        for (; j < h; j++) {
            hv[ho + j] *= ga[go + 3 * h + j];
        }
    }

    private void reverse(View gates, View cells, View c0, View wHh, View gradHidden, View gradCells, View gradGates,
            View gradH0, View gradC0) {
        Sgemm.Operand w = rowMajor(wHh, false);
        float[] dh = new float[batch * hidden], dc = new float[batch * hidden];
        int parts = rowParts(steps, batch, hidden);
        Parallel.forEach(parts, p -> reverseRows(gates, cells, c0, w, gradHidden, gradCells, gradGates, gradH0, gradC0,
                dh, dc, batch * p / parts, batch * (p + 1) / parts));
    }

    private void reverseRows(View gates, View cells, View c0, Sgemm.Operand w, View gradHidden, View gradCells,
            View gradGates, View gradH0, View gradC0, float[] dh, float[] dc, int r0, int r1) {
        int h = hidden, n = batch, g4 = 4 * h, m = r1 - r0;
        float[] tc = new float[h];
        float[] ga = f32(gates), ca = f32(cells), dga = f32(gradGates), gha = f32(gradHidden), gca = f32(gradCells);
        for (int t = steps - 1; t >= 0; t--) {
            int sOff = t * n * h;
            if (t < steps - 1) {
                SgemmDirect.gemm(m, h, g4, new Sgemm.Operand(dga, gradGates.offset() + ((t + 1) * n + r0) * g4, g4, 1),
                        w, dh, r0 * h, h);
            }
            float[] cp = t == 0 ? f32(c0) : ca;
            int cpOff = t == 0 ? c0.offset() : cells.offset() + sOff - n * h;
            for (int r = r0; r < r1; r++) {
                int ro = r * h;
                Cell cell = new Cell(ga, gates.offset() + (t * n + r) * g4, ca, cells.offset() + sOff + ro, cp,
                        cpOff + ro);
                cellBackward(cell, t < steps - 1, dh, gha, gradHidden.offset() + sOff + ro, dc, gca,
                        gradCells.offset() + sOff + ro, tc, dga, gradGates.offset() + (t * n + r) * g4, ro);
            }
        }
        if (steps == 0) {
            Arrays.fill(f32(gradH0), gradH0.offset() + r0 * h, gradH0.offset() + r1 * h, 0f);
        } else {
            SgemmDirect.gemm(m, h, g4, new Sgemm.Operand(dga, gradGates.offset() + r0 * g4, g4, 1), w, f32(gradH0),
                    gradH0.offset() + r0 * h, h);
        }
        System.arraycopy(dc, r0 * h, f32(gradC0), gradC0.offset() + r0 * h, m * h);
    }

    /** Where one batch row of one step lives: its activated gates, its cell state and the previous one. */
    private record Cell(float[] gates, int go, float[] c, int co, float[] cp, int cpo) {
    }

    /**
     * One batch row of one step, backward: {@code dh} (the recurrent part, when {@code recurrent})
     * gains the outside gradient, {@code dc} the outside gradient and {@code dh}'s path through
     * {@code tanh(c)}; the pre-activation gate gradients are written; {@code dc} becomes the
     * gradient of {@code c_prev}.
     */
    private void cellBackward(Cell cell, boolean recurrent, float[] dh, float[] gh, int gho, float[] dc, float[] gc,
            int gco, float[] tc, float[] dg, int dgo, int ro) {
        int h = hidden, j = 0;
        float[] ga = cell.gates;
        int go = cell.go;
        FloatUnary.tanh(cell.c, cell.co, tc, 0, h);
        for (int b = S.loopBound(h); j < b; j += L) {
            FloatVector vdh = FloatVector.fromArray(S, gh, gho + j);
            if (recurrent) {
                vdh = vdh.add(FloatVector.fromArray(S, dh, ro + j));
            }
            FloatVector i = FloatVector.fromArray(S, ga, go + j), f = FloatVector.fromArray(S, ga, go + h + j);
            FloatVector g = FloatVector.fromArray(S, ga, go + 2 * h + j);
            FloatVector o = FloatVector.fromArray(S, ga, go + 3 * h + j), t = FloatVector.fromArray(S, tc, j);
            FloatVector one = FloatVector.broadcast(S, 1f);
            FloatVector vdc = FloatVector.fromArray(S, dc, ro + j).add(FloatVector.fromArray(S, gc, gco + j))
                    .add(vdh.mul(o).mul(one.sub(t.mul(t))));
            vdh.mul(t).mul(o).mul(one.sub(o)).intoArray(dg, dgo + 3 * h + j);
            vdc.mul(g).mul(i).mul(one.sub(i)).intoArray(dg, dgo + j);
            vdc.mul(FloatVector.fromArray(S, cell.cp, cell.cpo + j)).mul(f).mul(one.sub(f)).intoArray(dg, dgo + h + j);
            vdc.mul(i).mul(one.sub(g.mul(g))).intoArray(dg, dgo + 2 * h + j);
            vdc.mul(f).intoArray(dc, ro + j);
        }
        for (; j < h; j++) {
            float vdh = gh[gho + j] + (recurrent ? dh[ro + j] : 0f);
            float i = ga[go + j], f = ga[go + h + j], g = ga[go + 2 * h + j], o = ga[go + 3 * h + j], t = tc[j];
            float vdc = dc[ro + j] + gc[gco + j] + vdh * o * (1 - t * t);
            dg[dgo + 3 * h + j] = vdh * t * o * (1 - o);
            dg[dgo + j] = vdc * g * i * (1 - i);
            dg[dgo + h + j] = vdc * cell.cp[cell.cpo + j] * f * (1 - f);
            dg[dgo + 2 * h + j] = vdc * i * (1 - g * g);
            dc[ro + j] = vdc * f;
        }
    }

    /**
     * @return a row-major copy of {@code w} (or of its transpose), each row padded to a whole number
     *         of vectors so that {@link SgemmDirect} reads it in place, with no lane-checked masked load
     */
    static Sgemm.Operand rowMajor(View w, boolean transpose) {
        int rows = w.shape()[transpose ? 1 : 0], cols = w.shape()[transpose ? 0 : 1];
        int rs = w.strides()[transpose ? 1 : 0], cs = w.strides()[transpose ? 0 : 1];
        int width = (cols + L - 1) / L * L;
        float[] src = f32(w), out = new float[rows * width];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * width + j] = src[w.offset() + i * rs + j * cs];
            }
        }
        return new Sgemm.Operand(out, 0, width, 1);
    }

    private static float[] f32(View v) {
        return ((HeapBuffer) v.buffer()).f32;
    }
}
