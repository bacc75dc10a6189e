package dev.jgrad.nn;

import dev.jgrad.Tensor;
import dev.jgrad.internal.Internals;
import java.util.ArrayList;
import java.util.List;

/**
 * Gated recurrent unit, PyTorch's {@code nn.GRU}, gates stacked {@code r, z, n}:
 * {@code r = σ(W_ir x + b_ir + W_hr h + b_hr)}, {@code z} likewise,
 * {@code n = tanh(W_in x + b_in + r (W_hn h + b_hn))}, {@code h' = (1 - z) n + z h}; see {@link Recurrent}.
 *
 * <p>Each layer runs as one recorded op, as {@link LSTM}'s do; the per-step composition below is
 * what that op differentiates when its own backward must be recorded ({@code createGraph}).
 */
public class GRU extends Recurrent {
    /** One layer, time-major input. */
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, false);
    }

    /**
     * @param numLayers  stacked layers, each feeding the next
     * @param batchFirst whether input and output are {@code [N, T, features]}
     */
    public GRU(int inputSize, int hiddenSize, int numLayers, boolean batchFirst) {
        super(inputSize, hiddenSize, numLayers, batchFirst, 3);
    }

    @Override
    Tensor[] layer(Tensor x, Tensor h0, Tensor c0, int l) {
        int steps = x.shape()[0];
        if (steps == 0) {
            return super.layer(x, h0, c0, l);
        }
        Tensor[] in = {x, w("weight_ih", l), w("weight_hh", l), w("bias_ih", l), w("bias_hh", l), h0};
        Tensor hs = Internals.bridge().gru(in, GRU::composed);
        return new Tensor[] {hs.narrow(0, 1, steps), hs.select(0, steps), null};
    }

    /**
     * The layer as per-step recorded ops, in the fused op's layout.
     *
     * @param in {@code {x [T, N, in], weight_ih, weight_hh, bias_ih, bias_hh, h0}}
     * @return {@code [T+1, N, H]}: {@code h_0 ... h_T}
     */
    private static Tensor composed(Tensor[] in) {
        Tensor x = in[0];
        int steps = x.shape()[0], batch = x.shape()[1];
        Tensor proj = Functional.linear(x.reshape(steps * batch, x.shape()[2]), in[1], in[3],
                Functional.Activation.NONE);
        List<Tensor> hs = new ArrayList<>(List.of(in[5]));
        for (int t = 0; t < steps; t++) {
            hs.add(cell(proj.narrow(0, t * batch, batch), hs.get(t), in[2], in[4]));
        }
        return Tensor.stack(hs, 0);
    }

    /** Only {@code b_ih} folds in: {@code b_hn} sits inside the reset gate's product. */
    @Override
    Tensor inputProjection(Tensor x, int l) {
        return Functional.linear(x, w("weight_ih", l), w("bias_ih", l), Functional.Activation.NONE);
    }

    @Override
    Tensor[] step(Tensor proj, Tensor h, Tensor c, int l) {
        return new Tensor[] {cell(proj, h, w("weight_hh", l), w("bias_hh", l)), null};
    }

    /** One step: {@code proj} is this step's input projection {@code [N, 3H]}; returns the new hidden state. */
    private static Tensor cell(Tensor proj, Tensor h, Tensor wHh, Tensor bHh) {
        int hs = wHh.shape()[1];
        Tensor gh = Functional.linear(h, wHh, bHh, Functional.Activation.NONE);
        Tensor rz = proj.narrow(1, 0, 2 * hs).add(gh.narrow(1, 0, 2 * hs)).sigmoid();
        Tensor r = rz.narrow(1, 0, hs), z = rz.narrow(1, hs, hs);
        Tensor n = proj.narrow(1, 2 * hs, hs).add(r.mul(gh.narrow(1, 2 * hs, hs))).tanh();
        return n.add(z.mul(h.sub(n)));
    }

    @Override
    boolean hasCell() {
        return false;
    }
}
