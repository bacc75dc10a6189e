package dev.jgrad;

/**
 * Variance and standard deviation, composed of recorded Tensor ops (mean, subtract, square, sum),
 * so their gradients, {@code 2 (x - mean) / (n - correction)} for the variance, come out of the
 * composition and differentiate again. Two passes over the data (mean, then centred squares) keep
 * the result accurate where the one-pass {@code E[x^2] - E[x]^2} would cancel.
 */
final class StatRules {
    private StatRules() {
    }

    /**
     * @param unbiased divide by {@code n - 1} (Bessel's correction) instead of {@code n}; with
     *                 {@code n = 1} the unbiased variance is NaN, as PyTorch
     */
    static Tensor var(Tensor x, int dim, boolean unbiased, boolean keepDim) {
        Checks.floating("var", x);
        int d = Checks.dim("var", dim, x.dim());
        int n = x.shape[d];
        Tensor centred = x.sub(x.mean(d, true));
        return centred.mul(centred).sum(d, keepDim).div(n - (unbiased ? 1 : 0));
    }

    static Tensor std(Tensor x, int dim, boolean unbiased, boolean keepDim) {
        Checks.floating("std", x);
        return var(x, dim, unbiased, keepDim).sqrt();
    }
}
