package dev.jgrad.nn;

import dev.jgrad.Tensor;

/** The exact (erf) GELU {@code x * Phi(x)} elementwise, PyTorch's {@code nn.GELU}; no parameters. */
public class GELU extends Module {
    /** @return the activations, shaped like the input */
    @Override
    public Tensor forward(Tensor input) {
        return input.gelu();
    }
}
