package dev.jgrad.nn;

import dev.jgrad.Tensor;

/** The logistic function {@code 1 / (1 + e^-x)} elementwise, PyTorch's {@code nn.Sigmoid}; no parameters. */
public class Sigmoid extends Module {
    /** @return the activations, shaped like the input */
    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
