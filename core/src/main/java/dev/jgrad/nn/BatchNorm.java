package dev.jgrad.nn;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import java.util.Arrays;

/**
 * Batch normalisation over the channel dim 1 (PyTorch's {@code _BatchNorm}): learnable
 * {@code weight} (ones) and {@code bias} (zeros), buffers {@code running_mean} (zeros),
 * {@code running_var} (ones) and {@code num_batches_tracked} (an I64 scalar). Training mode
 * normalises with the batch statistics (biased variance) and updates the running ones with the
 * unbiased variance; evaluation mode normalises with the running statistics.
 */
public abstract class BatchNorm extends Module {
    private final int features;
    private final double eps;
    private final double momentum;
    private final int[] ranks;

    /**
     * @param features channels {@code C}
     * @param eps      added to the variance
     * @param momentum weight of the batch statistic in the running average
     * @param ranks    the input ranks the subclass accepts
     */
    protected BatchNorm(int features, double eps, double momentum, int... ranks) {
        if (features <= 0 || !(eps >= 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": needs features > 0, eps >= 0 and"
                    + " momentum in [0, 1], got " + features + ", " + eps + ", " + momentum);
        }
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.ranks = ranks.clone();
        registerParameter("weight", Tensor.ones(features));
        registerParameter("bias", Tensor.zeros(features));
        registerBuffer("running_mean", Tensor.zeros(features));
        registerBuffer("running_var", Tensor.ones(features));
        registerBuffer("num_batches_tracked", Tensor.zeros(DType.I64));
    }

    /**
     * @param input {@code [N, C]} or {@code [N, C, L]} (1d), {@code [N, C, H, W]} (2d)
     * @return the normalised input
     */
    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        if (Arrays.stream(ranks).noneMatch(r -> r == s.length) || s[1] != features) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "(" + features + "): expected input of rank "
                    + Arrays.toString(ranks) + " with " + features + " channels at dim 1, got shape "
                    + Arrays.toString(s));
        }
        Tensor anyState = buffer("running_mean") != null ? buffer("running_mean") : parameter("weight");
        if (anyState != null) {
            Agree.input(this, anyState, input, true);
        }
        boolean training = isTraining();
        Tensor out = Functional.batchNorm(input, buffer("running_mean"), buffer("running_var"), parameter("weight"),
                parameter("bias"), training, momentum, eps);
        if (training) {
            Tensor count = buffer("num_batches_tracked");
            try (var g = NoGrad.enter()) {
                count.fillInPlace(count.item() + 1);
            }
        }
        return out;
    }

    @Override
    protected String extraRepr() {
        return features + ", eps=" + eps + ", momentum=" + momentum;
    }
}
