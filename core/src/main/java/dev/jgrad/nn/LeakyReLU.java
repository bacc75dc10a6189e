package dev.jgrad.nn;

import dev.jgrad.Tensor;

/** {@code x} where positive, else {@code negativeSlope * x}; PyTorch's {@code nn.LeakyReLU} (default slope 0.01). */
public class LeakyReLU extends Module {
    private final double slope;

    /** With PyTorch's default slope 0.01. */
    public LeakyReLU() {
        this(0.01);
    }

    /** @param negativeSlope the slope for negative inputs (finite) */
    public LeakyReLU(double negativeSlope) {
        if (!Double.isFinite(negativeSlope)) {
            throw new IllegalArgumentException("LeakyReLU: negativeSlope must be finite, got " + negativeSlope);
        }
        this.slope = negativeSlope;
    }

    /** @return the activations, shaped like the input */
    @Override
    public Tensor forward(Tensor input) {
        return input.leakyRelu(slope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + slope;
    }
}
