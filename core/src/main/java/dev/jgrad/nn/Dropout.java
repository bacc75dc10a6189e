package dev.jgrad.nn;

import dev.jgrad.Tensor;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout, PyTorch's {@code nn.Dropout(p)}: in training mode each element is zeroed with
 * probability {@code p} and the rest scaled by {@code 1 / (1 - p)}; in evaluation mode the input
 * passes through unchanged.
 */
public class Dropout extends Module {
    private final double p;
    private final RandomGenerator rng;

    /** @param p the drop probability in {@code [0, 1]}; masks come from {@link Init#defaultGenerator()} */
    public Dropout(double p) {
        this(p, null);
    }

    /**
     * @param p   the drop probability in {@code [0, 1]}
     * @param rng the source of masks, or null for {@link Init#defaultGenerator()} at each forward
     */
    public Dropout(double p, RandomGenerator rng) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: probability p must be in [0, 1], got " + p);
        }
        this.p = p;
        this.rng = rng;
    }

    /** @return the input with a fresh mask applied (training), or the input itself (evaluation) */
    @Override
    public Tensor forward(Tensor input) {
        return Functional.dropout(input, p, isTraining(), Objects.requireNonNullElseGet(rng, Init::defaultGenerator));
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
