package dev.jgrad;

import dev.jgrad.autograd.Autograd;
import dev.jgrad.autograd.EnableGrad;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.autograd.Node;
import dev.jgrad.backend.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A whole LSTM or GRU layer as one recorded op, instead of a dozen small ops per time step.
 *
 * <p>Forward: the input projection of all steps is one GEMM ({@code [T*N, in] · W_ihᵀ} plus both
 * biases), then the backend's {@code lstmForward} runs the recurrence (per step the small product
 * {@code h_{t-1} · W_hhᵀ}, the gate nonlinearities and the cell update), writing the hidden and cell
 * states into one {@code [2, T+1, N, H]} result whose slot 0 holds {@code h0, c0} — so the previous
 * hidden states of all steps are one contiguous {@code [T*N, H]} slice — and the activated gates into
 * a {@code [T, N, 4H]} buffer kept for backward.
 *
 * <p>Backward: {@code lstmBackward} walks the steps in reverse and yields the pre-activation gate
 * gradients {@code dG [T*N, 4H]}; then every remaining gradient is one product or sum over all steps:
 * {@code dx = dG · W_ih}, {@code dW_ih = dGᵀ · x}, {@code dW_hh = dGᵀ · H_prev}, {@code db = Σ_rows dG}.
 * GRU follows the same plan ({@code gruForward}/{@code gruBackward}, state {@code [T+1, N, H]}), with
 * separate input- and hidden-side gate gradients since the reset gate scales only the hidden part
 * of {@code n}. Under {@code createGraph} the rule differentiates the caller's composed per-step
 * layer instead, so the gradient is itself differentiable.
 */
final class RecurrentRules {
    private static final int X = 0, W_IH = 1, W_HH = 2, B_IH = 3, B_HH = 4, H0 = 5, C0 = 6;

    private RecurrentRules() {
    }

    /** See {@link dev.jgrad.internal.Bridge#lstm}. */
    static Tensor lstm(Tensor[] in, Function<Tensor[], Tensor> composed) {
        Tensor x = in[X], wHh = in[W_HH];
        int steps = x.shape[0], batch = x.shape[1], hidden = wHh.shape[1];
        Tensor x2, gates, state;
        try (var ng = NoGrad.enter()) {
            x2 = x.reshape(steps * batch, x.shape[2]);
            Tensor xp = project(x2, in[W_IH], in[B_IH].add(in[B_HH]), steps, batch);
            gates = Ops.empty(x.device(), x.dtype(), new int[] {steps, batch, 4 * hidden});
            state = Ops.empty(x.device(), x.dtype(), new int[] {2, steps + 1, batch, hidden});
            Tensor hs = state.select(0, 0), cs = state.select(0, 1);
            Ops.copyInto(in[H0], hs.select(0, 0).desc());
            Ops.copyInto(in[C0], cs.select(0, 0).desc());
            Ops.lstmForward(xp, wHh, hs.select(0, 0), cs.select(0, 0), gates, cs.narrow(0, 1, steps),
                    hs.narrow(0, 1, steps));
        }
        // The states are saved like any output, so an in-place change to the returned sequence is caught.
        int at = in.length;
        return Rule.record("lstm", state, in, (node, g) -> NoGrad.isGradEnabled() ? composedBackward(node, g, composed)
                : lstmBackward(node, g, x2, gates, node.saved(at)), withState(in, state));
    }

    /** See {@link dev.jgrad.internal.Bridge#gru}. */
    static Tensor gru(Tensor[] in, Function<Tensor[], Tensor> composed) {
        Tensor x = in[X], wHh = in[W_HH];
        int steps = x.shape[0], batch = x.shape[1], hidden = wHh.shape[1];
        Tensor x2, gates, state;
        try (var ng = NoGrad.enter()) {
            x2 = x.reshape(steps * batch, x.shape[2]);
            Tensor xp = project(x2, in[W_IH], in[B_IH], steps, batch);
            gates = Ops.empty(x.device(), x.dtype(), new int[] {steps, batch, 4 * hidden});
            state = Ops.empty(x.device(), x.dtype(), new int[] {steps + 1, batch, hidden});
            Ops.copyInto(in[H0], state.select(0, 0).desc());
            Ops.gruForward(xp, wHh, in[B_HH], state.select(0, 0), gates, state.narrow(0, 1, steps));
        }
        // The states are saved like any output, so an in-place change to the returned sequence is caught.
        int at = in.length;
        return Rule.record("gru", state, in, (node, g) -> NoGrad.isGradEnabled() ? composedBackward(node, g, composed)
                : gruBackward(node, g, x2, gates, node.saved(at)), withState(in, state));
    }

    /** @return the inputs, then the layer's state output: what backward reads through {@link Node#saved} */
    private static Tensor[] withState(Tensor[] in, Tensor state) {
        Tensor[] saved = java.util.Arrays.copyOf(in, in.length + 1);
        saved[in.length] = state;
        return saved;
    }

    /** @return {@code x2 · W_ihᵀ + bias} for all steps at once, as {@code [T, N, gates*H]} */
    private static Tensor project(Tensor x2, Tensor wIh, Tensor bias, int steps, int batch) {
        Tensor xp = Ops.biasActivation(UnaryOp.IDENTITY, NnRules.linear(x2, wIh), Ops.contiguous(bias));
        return xp.reshape(steps, batch, wIh.shape[0]);
    }

    /**
     * @param x2    the input as {@code [T*N, in]}
     * @param gates the activated gates {@code [T, N, 4H]}
     * @param state the forward result {@code [2, T+1, N, H]}
     */
    private static Tensor[] lstmBackward(Node node, Tensor g, Tensor x2, Tensor gates, Tensor state) {
        int steps = gates.shape[0], batch = gates.shape[1], hidden = state.shape[3];
        Tensor gc = Ops.contiguous(g);
        Tensor gh = gc.select(0, 0), gcell = gc.select(0, 1);
        Tensor hs = state.select(0, 0), cs = state.select(0, 1);
        Tensor dGates = Ops.empty(g.device(), g.dtype(), gates.shape);
        Tensor dh0 = Ops.empty(g.device(), g.dtype(), new int[] {batch, hidden});
        Tensor dc0 = Ops.empty(g.device(), g.dtype(), new int[] {batch, hidden});
        Ops.lstmBackward(gates, cs.narrow(0, 1, steps), cs.select(0, 0), node.saved(W_HH), gh.narrow(0, 1, steps),
                gcell.narrow(0, 1, steps), dGates, dh0, dc0);
        Tensor[] grads = new Tensor[7];
        Tensor dG = dGates.reshape(steps * batch, 4 * hidden);
        products(node, dG, dG, x2, hs, grads);
        // slot 0 of the result is h0 and c0 themselves: a gradient reaching it passes straight through
        grads[H0] = node.needsInputGrad(H0) ? dh0.add(gh.select(0, 0)) : null;
        grads[C0] = node.needsInputGrad(C0) ? dc0.add(gcell.select(0, 0)) : null;
        return grads;
    }

    /**
     * @param x2    the input as {@code [T*N, in]}
     * @param gates {@code r, z, n, a_n} of every step, {@code [T, N, 4H]}
     * @param state the forward result {@code [T+1, N, H]}
     */
    private static Tensor[] gruBackward(Node node, Tensor g, Tensor x2, Tensor gates, Tensor state) {
        int steps = gates.shape[0], batch = gates.shape[1], hidden = state.shape[2];
        Tensor gc = Ops.contiguous(g);
        int[] shape = {steps, batch, 3 * hidden};
        Tensor dIn = Ops.empty(g.device(), g.dtype(), shape), dHid = Ops.empty(g.device(), g.dtype(), shape);
        Tensor dh0 = Ops.empty(g.device(), g.dtype(), new int[] {batch, hidden});
        Ops.gruBackward(gates, state.narrow(0, 1, steps), state.select(0, 0), node.saved(W_HH), gc.narrow(0, 1, steps),
                dIn, dHid, dh0);
        Tensor[] grads = new Tensor[6];
        products(node, dIn.reshape(steps * batch, 3 * hidden), dHid.reshape(steps * batch, 3 * hidden), x2, state,
                grads);
        grads[H0] = node.needsInputGrad(H0) ? dh0.add(gc.select(0, 0)) : null;
        return grads;
    }

    /**
     * The gradients that are one product or sum over all steps: {@code dx = dIn · W_ih},
     * {@code dW_ih = dInᵀ · x}, {@code dW_hh = dHidᵀ · H_prev}, {@code db_ih = Σ dIn}, {@code db_hh = Σ dHid}.
     *
     * @param dIn  the input-side pre-activation gradients {@code [T*N, G*H]}
     * @param dHid the hidden-side ones (the same tensor for LSTM)
     * @param hs   the hidden states {@code h_0 ... h_T}, {@code [T+1, N, H]}
     */
    private static void products(Node node, Tensor dIn, Tensor dHid, Tensor x2, Tensor hs, Tensor[] grads) {
        int rows = dIn.shape[0], hidden = hs.shape[2];
        Tensor[] d = MatMulRules.gradientProducts(node.needsInputGrad(X), dIn, node.saved(W_IH),
                node.needsInputGrad(W_IH), node.needsInputGrad(W_IH) ? dIn.transpose(0, 1) : null, x2);
        grads[X] = d[0] == null ? null : d[0].reshape(node.saved(X).shape);
        grads[W_IH] = d[1];
        if (node.needsInputGrad(W_HH)) {
            grads[W_HH] = dHid.transpose(0, 1).matmul(hs.narrow(0, 0, hs.shape[0] - 1).reshape(rows, hidden));
        }
        grads[B_IH] = node.needsInputGrad(B_IH) ? dIn.sum(0, false) : null;
        grads[B_HH] = node.needsInputGrad(B_HH) ? dHid.sum(0, false) : null;
    }

    /** The recorded backward: differentiates the composed layer rebuilt on stand-ins connected to the inputs. */
    private static Tensor[] composedBackward(Node node, Tensor g, Function<Tensor[], Tensor> composed) {
        int count = node.nextFunctions().size();
        Tensor[] stand = new Tensor[count];
        List<Tensor> targets = new ArrayList<>();
        int[] slot = new int[count];
        try (var e = EnableGrad.enter()) {
            for (int i = 0; i < count; i++) {
                Tensor s = node.saved(i);
                boolean needed = node.needsInputGrad(i);
                stand[i] = needed ? s.reshape(s.shape) : s.detach();
                slot[i] = needed ? targets.size() : -1;
                if (needed) {
                    targets.add(stand[i]);
                }
            }
            Tensor y = composed.apply(stand);
            Tensor[] result = new Tensor[count];
            if (targets.isEmpty() || !y.requiresGrad()) {
                return result;
            }
            List<Tensor> grads = Autograd.grad(y, targets, g, true, true);
            for (int i = 0; i < count; i++) {
                result[i] = slot[i] < 0 ? null : grads.get(slot[i]);
            }
            return result;
        }
    }
}
