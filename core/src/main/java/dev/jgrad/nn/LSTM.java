package dev.jgrad.nn;

import dev.jgrad.Tensor;
import dev.jgrad.internal.Internals;
import java.util.ArrayList;
import java.util.List;

/**
 * Long short-term memory, PyTorch's {@code nn.LSTM}, gates stacked {@code i, f, g, o}:
 * {@code c_t = σ(f) c_{t-1} + σ(i) tanh(g)}, {@code h_t = σ(o) tanh(c_t)}; see {@link Recurrent}.
 *
 * <p>Each layer runs as one recorded op: the input projection of all steps as one GEMM, the
 * recurrence in the backend's fused sequence kernel, and in backward the weight and input gradients
 * as one product each over all steps. The per-step composition below is what that op differentiates
 * when its own backward must be recorded ({@code createGraph}).
 */
public class LSTM extends Recurrent {
    /** One layer, time-major input. */
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, false);
    }

    /**
     * @param numLayers  stacked layers, each feeding the next
     * @param batchFirst whether input and output are {@code [N, T, features]}
     */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean batchFirst) {
        super(inputSize, hiddenSize, numLayers, batchFirst, 4);
    }

    @Override
    Tensor[] layer(Tensor x, Tensor h0, Tensor c0, int l) {
        int steps = x.shape()[0];
        if (steps == 0) {
            return super.layer(x, h0, c0, l);
        }
        Tensor[] in = {x, w("weight_ih", l), w("weight_hh", l), w("bias_ih", l), w("bias_hh", l), h0, c0};
        Tensor state = Internals.bridge().lstm(in, LSTM::composed);
        Tensor hs = state.select(0, 0), cs = state.select(0, 1);
        return new Tensor[] {hs.narrow(0, 1, steps), hs.select(0, steps), cs.select(0, steps)};
    }

    /**
     * The layer as per-step recorded ops, in the fused op's layout.
     *
     * @param in {@code {x [T, N, in], weight_ih, weight_hh, bias_ih, bias_hh, h0, c0}}
     * @return {@code [2, T+1, N, H]}: {@code h_0 ... h_T} and {@code c_0 ... c_T}
     */
    private static Tensor composed(Tensor[] in) {
        Tensor x = in[0];
        int steps = x.shape()[0], batch = x.shape()[1];
        Tensor proj = Functional.linear(x.reshape(steps * batch, x.shape()[2]), in[1], in[3].add(in[4]),
                Functional.Activation.NONE);
        List<Tensor> hs = new ArrayList<>(List.of(in[5])), cs = new ArrayList<>(List.of(in[6]));
        for (int t = 0; t < steps; t++) {
            Tensor[] hc = cell(proj.narrow(0, t * batch, batch), hs.get(t), cs.get(t), in[2]);
            hs.add(hc[0]);
            cs.add(hc[1]);
        }
        return Tensor.stack(List.of(Tensor.stack(hs, 0), Tensor.stack(cs, 0)), 0);
    }

    /** Both biases fold into the one input projection: every gate adds them before its nonlinearity. */
    @Override
    Tensor inputProjection(Tensor x, int l) {
        return Functional.linear(x, w("weight_ih", l), w("bias_ih", l).add(w("bias_hh", l)), Functional.Activation.NONE);
    }

    @Override
    Tensor[] step(Tensor proj, Tensor h, Tensor c, int l) {
        return cell(proj, h, c, w("weight_hh", l));
    }

    /** One step: {@code proj} is this step's input projection {@code [N, 4H]}; returns {@code {h, c}}. */
    private static Tensor[] cell(Tensor proj, Tensor h, Tensor c, Tensor wHh) {
        int hs = wHh.shape()[1];
        Tensor g = Functional.linear(h, wHh, null, Functional.Activation.NONE).add(proj);
        Tensor ifo = g.sigmoid();
        Tensor i = ifo.narrow(1, 0, hs), f = ifo.narrow(1, hs, hs), o = ifo.narrow(1, 3 * hs, hs);
        Tensor cell = f.mul(c).add(i.mul(g.narrow(1, 2 * hs, hs).tanh()));
        return new Tensor[] {o.mul(cell.tanh()), cell};
    }

    @Override
    boolean hasCell() {
        return true;
    }
}
