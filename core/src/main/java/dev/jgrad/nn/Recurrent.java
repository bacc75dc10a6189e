package dev.jgrad.nn;

import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The multi-layer recurrent networks {@link RNN}, {@link LSTM} and {@link GRU}, with PyTorch's
 * parameters: per layer {@code l}, {@code weight_ih_l<l> [gates*H, in]}, {@code weight_hh_l<l>
 * [gates*H, H]}, {@code bias_ih_l<l>} and {@code bias_hh_l<l>} {@code [gates*H]}, gates stacked in
 * PyTorch's order, all initialised from {@code U(-1/√H, 1/√H)}. Inputs are {@code [T, N, in]}, or
 * {@code [N, T, in]} with {@code batchFirst}; states are {@code [numLayers, N, H]}.
 *
 * <p>Each layer computes the input projection of all time steps as one matrix product
 * ({@code [T*N, in] · W_ihᵀ}), then one recurrent product per step. Backpropagation through time is
 * ordinary autograd through the unrolled steps ({@link LSTM} and {@link GRU} record each layer as
 * one fused op instead); pass a state on with {@code detach()} to truncate it.
 */
public abstract class Recurrent extends Module {
    /**
     * A recurrent state.
     *
     * @param h the hidden state {@code [numLayers, N, H]}
     * @param c the LSTM cell state {@code [numLayers, N, H]}, null for RNN and GRU
     */
    public record State(Tensor h, Tensor c) {
    }

    /**
     * The result of {@link #forward(Tensor, State)}.
     *
     * @param output the last layer's hidden state at every step, {@code [T, N, H]} (or {@code [N, T, H]})
     * @param state  the final state of every layer
     */
    public record Output(Tensor output, State state) {
    }

    final int inputSize;
    final int hiddenSize;
    final int numLayers;
    final boolean batchFirst;
    private final int gates;

    Recurrent(int inputSize, int hiddenSize, int numLayers, boolean batchFirst, int gates) {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": inputSize, hiddenSize and numLayers must"
                    + " be positive, got " + inputSize + ", " + hiddenSize + ", " + numLayers);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.batchFirst = batchFirst;
        this.gates = gates;
        double bound = 1 / Math.sqrt(hiddenSize);
        for (int l = 0; l < numLayers; l++) {
            int in = l == 0 ? inputSize : hiddenSize;
            Init.uniform(registerParameter("weight_ih_l" + l, Tensor.zeros(gates * hiddenSize, in)), -bound, bound);
            Init.uniform(registerParameter("weight_hh_l" + l, Tensor.zeros(gates * hiddenSize, hiddenSize)), -bound,
                    bound);
            Init.uniform(registerParameter("bias_ih_l" + l, Tensor.zeros(gates * hiddenSize)), -bound, bound);
            Init.uniform(registerParameter("bias_hh_l" + l, Tensor.zeros(gates * hiddenSize)), -bound, bound);
        }
    }

    /** @return the output sequence from a zero initial state */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).output();
    }

    /**
     * Runs every layer over the whole sequence.
     *
     * @param input the sequence, {@code [T, N, inputSize]} ({@code [N, T, inputSize]} with batchFirst)
     * @param state the initial state, or null for zeros; {@code c} is required for LSTM and must be null otherwise
     * @return the output sequence and the final state
     */
    public Output forward(Tensor input, State state) {
        int[] s = input.shape();
        if (s.length != 3 || s[2] != inputSize) {
            throw new IllegalArgumentException(name() + ": expected input " + (batchFirst ? "[N, T, " : "[T, N, ")
                    + inputSize + "], got shape " + Arrays.toString(s));
        }
        Agree.input(this, w("weight_ih", 0), input, true);
        if (state != null) {
            Agree.same(name(), "input", input, "state h", state.h());
            Agree.same(name(), "input", input, "state c", state.c());
        }
        Tensor x = batchFirst ? input.transpose(0, 1) : input;
        int batch = x.shape()[1];
        Tensor[] init = initialState(state, batch, input);
        List<Tensor> hs = new ArrayList<>(), cs = new ArrayList<>();
        for (int l = 0; l < numLayers; l++) {
            Tensor[] r = layer(x, init[0].select(0, l), init[1] == null ? null : init[1].select(0, l), l);
            x = r[0];
            hs.add(r[1]);
            cs.add(r[2]);
        }
        Tensor out = batchFirst ? x.transpose(0, 1) : x;
        Tensor h = Tensor.stack(hs, 0);
        Tensor c = cs.get(0) == null ? null : Tensor.stack(cs, 0);
        return new Output(out, new State(h, c));
    }

    /**
     * Runs layer {@code l} over the sequence: by default the input projection of all steps at once,
     * then {@link #step} per time step, each a few recorded ops.
     *
     * @param x  the layer's input {@code [T, N, in]}
     * @param h0 its initial hidden state {@code [N, H]}
     * @param c0 its initial cell state {@code [N, H]}, null for RNN and GRU
     * @return {@code {output [T, N, H], h_T, c_T}} ({@code c_T} null for RNN and GRU)
     */
    Tensor[] layer(Tensor x, Tensor h0, Tensor c0, int l) {
        int steps = x.shape()[0], batch = x.shape()[1];
        Tensor[] hc = {h0, c0};
        Tensor proj = inputProjection(x.reshape(steps * batch, x.shape()[2]), l);
        List<Tensor> outs = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            hc = step(proj.narrow(0, t * batch, batch), hc[0], hc[1], l);
            outs.add(hc[0]);
        }
        Tensor out = steps == 0 ? Tensor.zeros(x.dtype(), 0, batch, hiddenSize).to(x.device().name())
                : Tensor.stack(outs, 0);
        return new Tensor[] {out, hc[0], hc[1]};
    }

    /** @return {@code x · W_ihᵀ + bias} for all steps at once, {@code [T*N, gates*H]} */
    abstract Tensor inputProjection(Tensor x, int layer);

    /**
     * One time step of one layer.
     *
     * @param proj this step's input projection {@code [N, gates*H]}
     * @return {@code {h, c}} ({@code c} null for RNN and GRU)
     */
    abstract Tensor[] step(Tensor proj, Tensor h, Tensor c, int layer);

    /** @return whether the state has a cell part (LSTM) */
    abstract boolean hasCell();

    Tensor w(String kind, int layer) {
        return parameter(kind + "_l" + layer);
    }

    private Tensor[] initialState(State state, int batch, Tensor input) {
        int[] expected = {numLayers, batch, hiddenSize};
        if (state == null) {
            Tensor z = Tensor.zeros(input.dtype(), expected).to(input.device().name());
            return new Tensor[] {z, hasCell() ? z : null};
        }
        checkState("h", state.h(), expected, input);
        if (hasCell()) {
            checkState("c", state.c(), expected, input);
        } else if (state.c() != null) {
            throw new IllegalArgumentException(name() + ": has no cell state, so State.c must be null; got shape "
                    + Arrays.toString(state.c().shape()));
        }
        return new Tensor[] {state.h(), state.c()};
    }

    private void checkState(String which, Tensor t, int[] expected, Tensor input) {
        if (t == null || !Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(name() + ": state " + which + " must have shape "
                    + Arrays.toString(expected) + " [numLayers, N, hiddenSize] for input " + Arrays.toString(input.shape())
                    + ", got " + (t == null ? "null" : Arrays.toString(t.shape())));
        }
    }

    private String name() {
        return getClass().getSimpleName() + "(" + inputSize + ", " + hiddenSize + ", numLayers=" + numLayers
                + ", batchFirst=" + batchFirst + ")";
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + ", num_layers=" + numLayers + ", batch_first=" + batchFirst;
    }
}
