package dev.jgrad.nn;

import dev.jgrad.Tensor;

/** {@code max(x, 0)} elementwise, PyTorch's {@code nn.ReLU}; no parameters. */
public class ReLU extends Module {
    /** @return the activations, shaped like the input */
    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}
