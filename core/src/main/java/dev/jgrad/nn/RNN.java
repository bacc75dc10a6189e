package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Elman recurrent network with tanh, PyTorch's {@code nn.RNN}:
 * {@code h_t = tanh(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh)}; see {@link Recurrent}.
 */
public class RNN extends Recurrent {
    /** One layer, time-major input. */
    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, false);
    }

    /**
     * @param numLayers  stacked layers, each feeding the next
     * @param batchFirst whether input and output are {@code [N, T, features]}
     */
    public RNN(int inputSize, int hiddenSize, int numLayers, boolean batchFirst) {
        super(inputSize, hiddenSize, numLayers, batchFirst, 1);
    }

    /** Both biases fold into the one input projection: they add before the same tanh. */
    @Override
    Tensor inputProjection(Tensor x, int l) {
        return Functional.linear(x, w("weight_ih", l), w("bias_ih", l).add(w("bias_hh", l)), Functional.Activation.NONE);
    }

    @Override
    Tensor[] step(Tensor proj, Tensor h, Tensor c, int l) {
        return new Tensor[] {Functional.linear(h, w("weight_hh", l), null, Functional.Activation.NONE).add(proj).tanh(),
            null};
    }

    @Override
    boolean hasCell() {
        return false;
    }
}
