package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Long short-term memory, PyTorch's {@code nn.LSTM}, gates stacked {@code i, f, g, o}:
 * {@code c_t = σ(f) c_{t-1} + σ(i) tanh(g)}, {@code h_t = σ(o) tanh(c_t)}; see {@link Recurrent}.
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

    /** Both biases fold into the one input projection: every gate adds them before its nonlinearity. */
    @Override
    Tensor inputProjection(Tensor x, int l) {
        return Functional.linear(x, w("weight_ih", l), w("bias_ih", l).add(w("bias_hh", l)), Functional.Activation.NONE);
    }

    @Override
    Tensor[] step(Tensor proj, Tensor h, Tensor c, int l) {
        int hs = hiddenSize;
        Tensor g = Functional.linear(h, w("weight_hh", l), null, Functional.Activation.NONE).add(proj);
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
