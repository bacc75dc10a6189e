package dev.jgrad.nn;

import dev.jgrad.Tensor;

/** How a loss combines its per-element (or per-sample) values, PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** the mean over all values, a scalar (PyTorch's default) */
    MEAN,
    /** the sum over all values, a scalar */
    SUM,
    /** the values themselves, unreduced */
    NONE;

    /** @return {@code values} reduced this way */
    Tensor apply(Tensor values) {
        return switch (this) {
            case MEAN -> values.mean();
            case SUM -> values.sum();
            case NONE -> values;
        };
    }
}
