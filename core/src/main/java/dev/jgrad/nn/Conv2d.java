package dev.jgrad.nn;

import dev.jgrad.Tensor;
import java.util.Arrays;

/**
 * PyTorch's {@code nn.Conv2d} with square kernels: {@code weight [out, in/groups, k, k]},
 * {@code bias [out]}, forward {@link Functional#conv2d}. Initialised as PyTorch: weight from
 * kaiming-uniform with {@code a = √5} (that is {@code U(-1/√fanIn, 1/√fanIn)} with
 * {@code fanIn = in/groups·k²}), bias from {@code U(-1/√fanIn, 1/√fanIn)}, drawn from
 * {@link Init#defaultGenerator()}.
 */
public class Conv2d extends Module {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;

    /** Stride 1, no padding, dilation 1, one group, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true);
    }

    /** Dilation 1, one group, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true);
    }

    /**
     * @param inChannels  channels of the input, a multiple of {@code groups}
     * @param outChannels channels of the output, a multiple of {@code groups}
     * @param kernelSize  kernel height and width, {@code >= 1}
     * @param stride      window step, {@code >= 1}
     * @param padding     zero rows/columns added on each side, {@code >= 0}
     * @param dilation    step between kernel taps, {@code >= 1}
     * @param groups      independent channel groups, {@code >= 1}
     * @param bias        whether to learn an additive bias per output channel
     */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups,
                  boolean bias) {
        if (inChannels < 1 || outChannels < 1 || kernelSize < 1 || stride < 1 || padding < 0 || dilation < 1
                || groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: need in, out, kernelSize, stride, dilation, groups >= 1,"
                    + " padding >= 0 and in and out divisible by groups, got in=" + inChannels + ", out=" + outChannels
                    + ", kernelSize=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", dilation="
                    + dilation + ", groups=" + groups);
        }
        this.in = inChannels;
        this.out = outChannels;
        this.kernel = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        Tensor w = registerParameter("weight", Tensor.zeros(outChannels, inChannels / groups, kernelSize, kernelSize));
        Tensor b = registerParameter("bias", bias ? Tensor.zeros(outChannels) : null);
        Init.kaimingUniform(w, Math.sqrt(5), Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, Init.defaultGenerator());
        if (b != null) {
            double bound = 1 / Math.sqrt((double) inChannels / groups * kernelSize * kernelSize);
            Init.uniform(b, -bound, bound);
        }
    }

    /**
     * @param input {@code [N, in, H, W]} or unbatched {@code [in, H, W]}
     * @return {@code [N, out, oH, oW]} (or {@code [out, oH, oW]}),
     *     {@code oH = floor((H + 2·padding - dilation·(k-1) - 1)/stride) + 1}
     * @throws IllegalArgumentException for another rank or channel count, or a kernel larger than
     *     the padded input
     */
    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        if ((s.length != 4 && s.length != 3) || s[s.length - 3] != in) {
            throw new IllegalArgumentException(this + ": expected input [N, " + in + ", H, W] or [" + in
                    + ", H, W], got " + Arrays.toString(s));
        }
        int span = dilation * (kernel - 1) + 1, h = s[s.length - 2] + 2 * padding, w = s[s.length - 1] + 2 * padding;
        if (h < span || w < span) {
            throw new IllegalArgumentException(this + ": kernel span " + span + "x" + span + " is larger than the"
                    + " padded input " + h + "x" + w + " of input " + Arrays.toString(s));
        }
        Agree.input(this, parameter("weight"), input, true);
        Tensor x = s.length == 3 ? input.unsqueeze(0) : input;
        Tensor y = Functional.conv2d(x, parameter("weight"), parameter("bias"), stride, padding, dilation, groups);
        return s.length == 3 ? y.squeeze(0) : y;
    }

    /** @return the weight {@code [out, in/groups, k, k]} */
    public Tensor weight() {
        return parameter("weight");
    }

    /** @return the bias {@code [out]}, or null */
    public Tensor bias() {
        return parameter("bias");
    }

    @Override
    protected String extraRepr() {
        return in + ", " + out + ", kernel_size=(" + kernel + ", " + kernel + "), stride=(" + stride + ", " + stride
                + ")" + (padding != 0 ? ", padding=(" + padding + ", " + padding + ")" : "")
                + (dilation != 1 ? ", dilation=(" + dilation + ", " + dilation + ")" : "")
                + (groups != 1 ? ", groups=" + groups : "") + (parameter("bias") == null ? ", bias=False" : "");
    }
}
