package dev.jgrad.nn;

import dev.jgrad.Tensor;
import java.util.Arrays;

/**
 * {@code y = x · Wᵀ + b}, PyTorch's {@code nn.Linear}: {@code weight [out, in]}, {@code bias [out]}.
 * Initialised as PyTorch: weight from kaiming-uniform with {@code a = √5} (that is
 * {@code U(-1/√in, 1/√in)}), bias from {@code U(-1/√in, 1/√in)}. Forward is the fused
 * {@link Functional#linear}.
 */
public class Linear extends Module {
    private final int in;
    private final int out;

    /** A layer with bias. */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    /**
     * @param inFeatures  size of each input's last dim
     * @param outFeatures size of each output's last dim
     * @param bias        whether to learn an additive bias
     */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: features must be >= 0, got in=" + inFeatures + ", out="
                    + outFeatures);
        }
        this.in = inFeatures;
        this.out = outFeatures;
        Tensor w = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        Tensor b = registerParameter("bias", bias ? Tensor.zeros(outFeatures) : null);
        if (inFeatures > 0) {
            Init.kaimingUniform(w, Math.sqrt(5), Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU,
                    Init.defaultGenerator());
            if (b != null) {
                double bound = 1 / Math.sqrt(inFeatures);
                Init.uniform(b, -bound, bound);
            }
        }
    }

    /**
     * @param input {@code [..., in]}
     * @return {@code [..., out]}
     */
    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        if (s.length == 0 || s[s.length - 1] != in) {
            throw new IllegalArgumentException("Linear(" + in + ", " + out + "): input must have last dim " + in
                    + ", got shape " + Arrays.toString(s));
        }
        Tensor weight = parameter("weight");
        Agree.input(this, weight, input, true);
        return Functional.linear(input, weight, parameter("bias"), Functional.Activation.NONE);
    }

    /** @return the weight {@code [out, in]} */
    public Tensor weight() {
        return parameter("weight");
    }

    /** @return the bias {@code [out]}, or null */
    public Tensor bias() {
        return parameter("bias");
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + in + ", out_features=" + out + ", bias=" + (parameter("bias") != null);
    }
}
