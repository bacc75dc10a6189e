package dev.jgrad.nn;

import dev.jgrad.Tensor;
import java.util.Arrays;

/**
 * Layer normalisation over the trailing {@code normalizedShape} dims, PyTorch's
 * {@code nn.LayerNorm}: biased variance, {@code eps = 1e-5}, and with {@code elementwiseAffine} a
 * {@code weight} (ones) and {@code bias} (zeros) of shape {@code normalizedShape}.
 */
public class LayerNorm extends Module {
    private final int[] shape;
    private final double eps;

    /** With {@code eps = 1e-5} and an affine transform. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    /**
     * @param normalizedShape   the trailing dims to normalise over
     * @param eps               added to the variance
     * @param elementwiseAffine whether to learn weight and bias
     */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(d -> d <= 0) || !(eps >= 0)) {
            throw new IllegalArgumentException("LayerNorm: needs a non-empty normalized shape of positive dims and"
                    + " eps >= 0, got " + Arrays.toString(normalizedShape) + ", eps " + eps);
        }
        this.shape = normalizedShape.clone();
        this.eps = eps;
        if (elementwiseAffine) {
            registerParameter("weight", Tensor.ones(shape));
            registerParameter("bias", Tensor.zeros(shape));
        }
    }

    /** @return the input normalised over its trailing dims */
    @Override
    public Tensor forward(Tensor input) {
        try {
            return Functional.layerNorm(input, shape, parameter("weight"), parameter("bias"), eps);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LayerNorm(" + Arrays.toString(shape) + "): " + e.getMessage(), e);
        }
    }

    @Override
    protected String extraRepr() {
        return Arrays.toString(shape) + ", eps=" + eps;
    }
}
