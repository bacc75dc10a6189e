package dev.jgrad.nn;

import dev.jgrad.Tensor;

/** The hyperbolic tangent elementwise, PyTorch's {@code nn.Tanh}; no parameters. */
public class Tanh extends Module {
    /** @return the activations, shaped like the input */
    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
