package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Gated recurrent unit, PyTorch's {@code nn.GRU}, gates stacked {@code r, z, n}:
 * {@code r = σ(W_ir x + b_ir + W_hr h + b_hr)}, {@code z} likewise,
 * {@code n = tanh(W_in x + b_in + r (W_hn h + b_hn))}, {@code h' = (1 - z) n + z h}; see {@link Recurrent}.
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

    /** Only {@code b_ih} folds in: {@code b_hn} sits inside the reset gate's product. */
    @Override
    Tensor inputProjection(Tensor x, int l) {
        return Functional.linear(x, w("weight_ih", l), w("bias_ih", l), Functional.Activation.NONE);
    }

    @Override
    Tensor[] step(Tensor proj, Tensor h, Tensor c, int l) {
        int hs = hiddenSize;
        Tensor gh = Functional.linear(h, w("weight_hh", l), w("bias_hh", l), Functional.Activation.NONE);
        Tensor rz = proj.narrow(1, 0, 2 * hs).add(gh.narrow(1, 0, 2 * hs)).sigmoid();
        Tensor r = rz.narrow(1, 0, hs), z = rz.narrow(1, hs, hs);
        Tensor n = proj.narrow(1, 2 * hs, hs).add(r.mul(gh.narrow(1, 2 * hs, hs))).tanh();
        return new Tensor[] {n.add(z.mul(h.sub(n))), null};
    }

    @Override
    boolean hasCell() {
        return false;
    }
}
