package dev.jgrad.nn;

import dev.jgrad.Tensor;

/** {@code softmax} along a fixed dim, PyTorch's {@code nn.Softmax(dim)}; computed stably (row maximum subtracted). */
public class Softmax extends Module {
    private final int dim;

    /** @param dim the dim to normalise over (negative counts from the end) */
    public Softmax(int dim) {
        this.dim = dim;
    }

    /** @return the result, shaped like the input */
    @Override
    public Tensor forward(Tensor input) {
        return input.softmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
