package dev.jgrad.nn;

import dev.jgrad.Tensor;

/** SiLU (swish) {@code x * sigmoid(x)} elementwise, PyTorch's {@code nn.SiLU}; no parameters. */
public class SiLU extends Module {
    /** @return the activations, shaped like the input */
    @Override
    public Tensor forward(Tensor input) {
        return input.silu();
    }
}
