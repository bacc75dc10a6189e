package dev.jgrad.nn;

import dev.jgrad.Tensor;

/** {@code logSoftmax} along a fixed dim, PyTorch's {@code nn.LogSoftmax(dim)}; computed stably (row maximum subtracted). */
public class LogSoftmax extends Module {
    private final int dim;

    /** @param dim the dim to normalise over (negative counts from the end) */
    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    /** @return the result, shaped like the input */
    @Override
    public Tensor forward(Tensor input) {
        return input.logSoftmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
