package dev.jgrad.backend;

import dev.jgrad.DType;

/**
 * The defaults of the recurrent sequence primitives ({@link Backend#lstmForward},
 * {@link Backend#lstmBackward}, {@link Backend#gruForward}, {@link Backend#gruBackward}) composed
 * of matmul and elementwise primitives on views of the step slices: one small product and a
 * handful of elementwise calls per step. Everything stays in the backend's buffers, so a device
 * backend runs them without a host round trip; they serve every backend and dtype and are the
 * oracle the fused kernels are tested against.
 */
final class ComposedRecurrent {
    private final Backend b;
    private final int steps;
    private final int batch;
    private final int hidden;
    private final DType dtype;

    /** @param states any {@code [T, N, H]} view of the layer (its shape and dtype are read) */
    private ComposedRecurrent(Backend b, View states) {
        this.b = b;
        this.dtype = states.buffer().dtype();
        this.steps = states.shape()[0];
        this.batch = states.shape()[1];
        this.hidden = states.shape()[2];
    }

    static void forward(Backend b, View xProj, View wHh, View h0, View c0, View gates, View cells, View hiddens) {
        new ComposedRecurrent(b, cells).forward(xProj, wHh, h0, c0, gates, cells, hiddens);
    }

    static void backward(Backend b, View gates, View cells, View c0, View wHh, View gradHidden, View gradCells,
            View gradGates, View gradH0, View gradC0) {
        new ComposedRecurrent(b, cells).backward(gates, cells, c0, wHh, gradHidden, gradCells, gradGates, gradH0,
                gradC0);
    }

    private void forward(View xProj, View wHh, View h0, View c0, View gates, View cells, View hiddens) {
        int h = hidden;
        View wT = new View(wHh.buffer(), wHh.offset(), new int[] {h, 4 * h},
                new int[] {wHh.strides()[1], wHh.strides()[0]});
        View tmp = temp();
        View hPrev = h0, cPrev = c0;
        for (int t = 0; t < steps; t++) {
            View pre = step(gates, t, 0, 4 * h);
            b.matmul(hPrev, wT, pre);
            b.binary(BinaryOp.ADD, pre, step(xProj, t, 0, 4 * h), pre);
            View i = step(gates, t, 0, h), f = step(gates, t, h, h), g = step(gates, t, 2 * h, h);
            View o = step(gates, t, 3 * h, h);
            b.unary(UnaryOp.SIGMOID, 0, step(gates, t, 0, 2 * h), step(gates, t, 0, 2 * h));
            b.unary(UnaryOp.TANH, 0, g, g);
            b.unary(UnaryOp.SIGMOID, 0, o, o);
            View c = step(cells, t, 0, h), hOut = step(hiddens, t, 0, h);
            b.binary(BinaryOp.MUL, f, cPrev, c);
            b.binary(BinaryOp.MUL, i, g, tmp);
            b.binary(BinaryOp.ADD, c, tmp, c);
            b.unary(UnaryOp.TANH, 0, c, tmp);
            b.binary(BinaryOp.MUL, o, tmp, hOut);
            hPrev = hOut;
            cPrev = c;
        }
    }

    private void backward(View gates, View cells, View c0, View wHh, View gradHidden, View gradCells, View gradGates,
            View gradH0, View gradC0) {
        int h = hidden;
        View dh = temp(), dc = temp(), tc = temp(), d = temp(), e = temp();
        b.fill(dc, 0);
        for (int t = steps - 1; t >= 0; t--) {
            fromOutside(gradHidden, gradGates, 4 * h, wHh, t, dh);
            b.binary(BinaryOp.ADD, dc, step(gradCells, t, 0, h), dc);
            View i = step(gates, t, 0, h), f = step(gates, t, h, h), g = step(gates, t, 2 * h, h);
            View o = step(gates, t, 3 * h, h), cPrev = t == 0 ? c0 : step(cells, t - 1, 0, h);
            b.unary(UnaryOp.TANH, 0, step(cells, t, 0, h), tc);
            // o: dh * tanh(c) * σ'; c: dc += dh * o * tanh'(c)
            b.binary(BinaryOp.MUL, dh, tc, d);
            gate(d, o, true, e, step(gradGates, t, 3 * h, h));
            tanhPrime(tc, e);
            b.binary(BinaryOp.MUL, e, o, e);
            b.binary(BinaryOp.MUL, e, dh, e);
            b.binary(BinaryOp.ADD, dc, e, dc);
            b.binary(BinaryOp.MUL, dc, g, d);
            gate(d, i, true, e, step(gradGates, t, 0, h));
            b.binary(BinaryOp.MUL, dc, cPrev, d);
            gate(d, f, true, e, step(gradGates, t, h, h));
            b.binary(BinaryOp.MUL, dc, i, d);
            gate(d, g, false, e, step(gradGates, t, 2 * h, h));
            b.binary(BinaryOp.MUL, dc, f, dc);
        }
        if (steps == 0) {
            b.fill(gradH0, 0);
        } else {
            b.matmul(step(gradGates, 0, 0, 4 * h), wHh, gradH0);
        }
        b.unary(UnaryOp.IDENTITY, 0, dc, gradC0);
    }

    static void gruForward(Backend b, View xProj, View wHh, View bHh, View h0, View gates, View hiddens) {
        new ComposedRecurrent(b, hiddens).gruForward(xProj, wHh, bHh, h0, gates, hiddens);
    }

    static void gruBackward(Backend b, View gates, View hiddens, View h0, View wHh, View gradHidden,
            View gradInputGates, View gradHiddenGates, View gradH0) {
        new ComposedRecurrent(b, hiddens).gruBackward(gates, hiddens, h0, wHh, gradHidden, gradInputGates,
                gradHiddenGates, gradH0);
    }

    private void gruForward(View xProj, View wHh, View bHh, View h0, View gates, View hiddens) {
        int h = hidden;
        View wT = new View(wHh.buffer(), wHh.offset(), new int[] {h, 3 * h},
                new int[] {wHh.strides()[1], wHh.strides()[0]});
        View gh = View.contiguous(b.allocateUninitialized(dtype, batch * 3 * h), new int[] {batch, 3 * h});
        View bias = new View(bHh.buffer(), bHh.offset(), new int[] {batch, 3 * h}, new int[] {0, bHh.strides()[0]});
        View tmp = temp(), hPrev = h0;
        for (int t = 0; t < steps; t++) {
            b.matmul(hPrev, wT, gh);
            b.binary(BinaryOp.ADD, gh, bias, gh);
            View rz = step(gates, t, 0, 2 * h), n = step(gates, t, 2 * h, h), ghn = step(gates, t, 3 * h, h);
            b.binary(BinaryOp.ADD, step(xProj, t, 0, 2 * h), cols(gh, 0, 2 * h), rz);
            b.unary(UnaryOp.SIGMOID, 0, rz, rz);
            b.unary(UnaryOp.IDENTITY, 0, cols(gh, 2 * h, h), ghn);
            b.binary(BinaryOp.MUL, step(gates, t, 0, h), ghn, n);
            b.binary(BinaryOp.ADD, n, step(xProj, t, 2 * h, h), n);
            b.unary(UnaryOp.TANH, 0, n, n);
            View hOut = step(hiddens, t, 0, h);
            b.binary(BinaryOp.SUB, hPrev, n, tmp);
            b.binary(BinaryOp.MUL, step(gates, t, h, h), tmp, tmp);
            b.binary(BinaryOp.ADD, n, tmp, hOut);
            hPrev = hOut;
        }
    }

    /**
     * Writes into {@code dh} the gradient reaching {@code h_t} before the cell's own carry: from
     * outside the recurrence, plus, below the last step, back through the next step's recurrent
     * product ({@code gateGrads[t+1] · wHh}, {@code width} gate columns).
     */
    private void fromOutside(View gradHidden, View gateGrads, int width, View wHh, int t, View dh) {
        if (t == steps - 1) {
            b.unary(UnaryOp.IDENTITY, 0, step(gradHidden, t, 0, hidden), dh);
        } else {
            b.matmul(step(gateGrads, t + 1, 0, width), wHh, dh);
            b.binary(BinaryOp.ADD, dh, step(gradHidden, t, 0, hidden), dh);
        }
    }

    private void gruBackward(View gates, View hiddens, View h0, View wHh, View gradHidden, View gradInputGates,
            View gradHiddenGates, View gradH0) {
        int h = hidden;
        View dh = temp(), carry = temp(), d = temp(), e = temp();
        b.fill(carry, 0);
        for (int t = steps - 1; t >= 0; t--) {
            fromOutside(gradHidden, gradHiddenGates, 3 * h, wHh, t, dh);
            b.binary(BinaryOp.ADD, dh, carry, dh);
            View r = step(gates, t, 0, h), z = step(gates, t, h, h), n = step(gates, t, 2 * h, h);
            View ghn = step(gates, t, 3 * h, h), hPrev = t == 0 ? h0 : step(hiddens, t - 1, 0, h);
            View dan = step(gradInputGates, t, 2 * h, h);
            // n: dh * (1 - z) * tanh'(n); its hidden part passes the reset gate
            b.unary(UnaryOp.NEG, 0, z, d);
            b.unary(UnaryOp.ADD_SCALAR, 1, d, d);
            b.binary(BinaryOp.MUL, d, dh, d);
            gate(d, n, false, e, dan);
            b.binary(BinaryOp.MUL, dan, r, step(gradHiddenGates, t, 2 * h, h));
            // z: dh * (h_prev - n) * σ'(z)
            b.binary(BinaryOp.SUB, hPrev, n, d);
            b.binary(BinaryOp.MUL, d, dh, d);
            gate(d, z, true, e, step(gradInputGates, t, h, h));
            // r: dan * ghn * σ'(r)
            b.binary(BinaryOp.MUL, dan, ghn, d);
            gate(d, r, true, e, step(gradInputGates, t, 0, h));
            b.unary(UnaryOp.IDENTITY, 0, step(gradInputGates, t, 0, 2 * h), step(gradHiddenGates, t, 0, 2 * h));
            b.binary(BinaryOp.MUL, dh, z, carry);
        }
        if (steps == 0) {
            b.fill(gradH0, 0);
        } else {
            b.matmul(step(gradHiddenGates, 0, 0, 3 * h), wHh, gradH0);
        }
        b.binary(BinaryOp.ADD, gradH0, carry, gradH0);
    }

    /** @return columns {@code [from, from + width)} of a contiguous {@code [N, W]} view */
    private static View cols(View m, int from, int width) {
        return new View(m.buffer(), m.offset() + from, new int[] {m.shape()[0], width}, new int[] {m.shape()[1], 1});
    }

    /** {@code out = grad * act'(a)} from the activation {@code a} (σ' = a - a², tanh' = 1 - a²). */
    private void gate(View grad, View a, boolean sigmoid, View tmp, View out) {
        if (sigmoid) {
            b.binary(BinaryOp.MUL, a, a, tmp);
            b.binary(BinaryOp.SUB, a, tmp, tmp);
        } else {
            tanhPrime(a, tmp);
        }
        b.binary(BinaryOp.MUL, grad, tmp, out);
    }

    /** {@code out = 1 - a²}. */
    private void tanhPrime(View a, View out) {
        b.binary(BinaryOp.MUL, a, a, out);
        b.unary(UnaryOp.NEG, 0, out, out);
        b.unary(UnaryOp.ADD_SCALAR, 1, out, out);
    }

    /** @return columns {@code [from, from + width)} of step {@code t} of a contiguous {@code [T, N, W]} view */
    private static View step(View seq, int t, int from, int width) {
        int w = seq.shape()[2];
        return new View(seq.buffer(), seq.offset() + t * seq.shape()[1] * w + from, new int[] {seq.shape()[1], width},
                new int[] {w, 1});
    }

    private View temp() {
        int[] shape = {batch, hidden};
        return View.contiguous(b.allocateUninitialized(dtype, batch * hidden), shape);
    }
}
