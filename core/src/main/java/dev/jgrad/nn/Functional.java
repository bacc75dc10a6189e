package dev.jgrad.nn;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.internal.Internals;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Layer functions in PyTorch's {@code torch.nn.functional} style. {@link #linear} runs the bias add
 * and activation of a layer as one fused kernel after the matmul.
 */
public final class Functional {
    private Functional() {
    }

    /** Activations that {@link #linear} can fuse into the layer. */
    public enum Activation {
        /** no activation: {@code x W^T + b} */
        NONE(UnaryOp.IDENTITY),
        /** {@code max(0, .)} */
        RELU(UnaryOp.RELU),
        /** hyperbolic tangent */
        TANH(UnaryOp.TANH),
        /** logistic sigmoid */
        SIGMOID(UnaryOp.SIGMOID),
        /** exact (erf) GELU */
        GELU(UnaryOp.GELU);

        final UnaryOp op;

        Activation(UnaryOp op) {
            this.op = op;
        }
    }

    /**
     * {@code act(x · weightᵀ + bias)}, as {@code torch.nn.functional.linear} followed by the
     * activation. The transpose is a view (no copy); bias add and activation are one fused pass.
     *
     * @param x      inputs {@code [..., in]}
     * @param weight {@code [out, in]}, PyTorch's layout
     * @param bias   {@code [out]}, or null for none
     * @param act    the activation to fuse
     * @return {@code [..., out]}
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, Activation act) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("linear: weight must be [out, in], got shape "
                    + Arrays.toString(weight.shape()));
        }
        Agree.same("linear", "input", x, "weight", weight);
        Agree.same("linear", "input", x, "bias", bias);
        Tensor h = Internals.bridge().linear(x, weight);
        if (bias == null) {
            return act == Activation.NONE ? h : Internals.bridge().activation(h, act.op);
        }
        return Internals.bridge().biasActivation(h, bias, act.op);
    }

    /**
     * {@code torch.nn.functional.conv2d}: for output channel {@code o} in group {@code g},
     * {@code y[n, o, p, q] = bias[o] + Σ_{c in g, i, j} weight[o, c, i, j] ·
     * x[n, c, p·stride - padding + i·dilation, q·stride - padding + j·dilation]} (zero outside {@code x}).
     * Computed as im2col and one GEMM per group over the whole batch; both backward passes are GEMMs
     * and a col2im, recorded so that they differentiate again.
     *
     * @param x        input {@code [N, C, H, W]}, F32 or F64
     * @param weight   {@code [out, C/groups, k, k]}
     * @param bias     {@code [out]}, or null for none
     * @param stride   window step, {@code >= 1}
     * @param padding  zero rows/columns on each side, {@code >= 0}
     * @param dilation step inside a window, {@code >= 1}
     * @param groups   channel groups; {@code C} and {@code out} must be multiples of it
     * @return {@code [N, out, oH, oW]} with {@code oH = floor((H + 2·padding - dilation·(k-1) - 1)/stride) + 1}
     * @throws IllegalArgumentException on wrong ranks, channel counts, dtypes, devices, or a kernel
     *     larger than the padded input
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return Internals.bridge().conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * {@code torch.nn.functional.max_pool2d(x, kernel, stride, padding)}: the maximum of each
     * {@code kernel×kernel} window, padding counting as -inf; the gradient goes to the first
     * maximal element of each window.
     *
     * @param x       {@code [N, C, H, W]} or {@code [C, H, W]}
     * @param padding at most {@code kernel / 2}
     * @return {@code [N, C, oH, oW]} (or {@code [C, oH, oW]}), {@code oH = floor((H + 2·padding - kernel)/stride) + 1}
     */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return Internals.bridge().maxPool2d(x, kernel, stride, padding);
    }

    /** {@link #maxPool2d(Tensor, int, int, int)} with stride = kernel and no padding (PyTorch's defaults). */
    public static Tensor maxPool2d(Tensor x, int kernel) {
        return maxPool2d(x, kernel, kernel, 0);
    }

    /**
     * {@code torch.nn.functional.avg_pool2d(x, kernel, stride, padding)} with
     * {@code count_include_pad=True}: each window's sum divided by {@code kernel²}.
     *
     * @param x       {@code [N, C, H, W]} or {@code [C, H, W]}
     * @param padding at most {@code kernel / 2}
     * @return the pooled tensor, shaped as for {@link #maxPool2d(Tensor, int, int, int)}
     */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        return Internals.bridge().avgPool2d(x, kernel, stride, padding);
    }

    /** {@link #avgPool2d(Tensor, int, int, int)} with stride = kernel and no padding (PyTorch's defaults). */
    public static Tensor avgPool2d(Tensor x, int kernel) {
        return avgPool2d(x, kernel, kernel, 0);
    }

    /**
     * {@code torch.nn.functional.adaptive_avg_pool2d(x, outputSize)}: output cell {@code (i, j)}
     * averages input rows {@code floor(i·H/out)} to {@code ceil((i+1)·H/out)} (exclusive) and the
     * same columns.
     *
     * @param x          {@code [N, C, H, W]} or {@code [C, H, W]}
     * @param outputSize the output height and width, {@code >= 1}
     * @return {@code [N, C, outputSize, outputSize]} (or without N)
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outputSize) {
        return Internals.bridge().adaptiveAvgPool2d(x, outputSize);
    }

    /**
     * Inverted dropout, {@code torch.nn.functional.dropout}: in training each element is zeroed with
     * probability {@code p} and the survivors are scaled by {@code 1 / (1 - p)}, so the expectation
     * is unchanged; otherwise (or for {@code p = 0}) {@code x} itself is returned.
     *
     * @param p   the drop probability in {@code [0, 1]}
     * @param rng the source of the mask (the same seed gives the same mask)
     * @return {@code x * mask}, differentiable in {@code x}
     */
    public static Tensor dropout(Tensor x, double p, boolean training, RandomGenerator rng) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout: probability p must be in [0, 1], got " + p + " (input shape "
                    + Arrays.toString(x.shape()) + ")");
        }
        if (!training || p == 0) {
            return x;
        }
        double keep = 1 / (1 - p);
        double[] mask = new double[x.numel()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = p == 1 || rng.nextDouble() < p ? 0 : keep;
        }
        return x.mul(Tensor.of(mask, x.shape()).to(x.dtype()).to(x.device().name()));
    }

    /**
     * Embedding lookup, {@code torch.nn.functional.embedding}: row {@code indices[...]} of
     * {@code weight}. The gradient of {@code weight} sums the output gradient of every occurrence.
     *
     * @param indices I64 indices of any shape, each in {@code [0, numEmbeddings)}
     * @param weight  {@code [numEmbeddings, dim]}
     * @return {@code indices.shape + [dim]}
     */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("embedding: weight must be [numEmbeddings, dim], got shape "
                    + Arrays.toString(weight.shape()));
        }
        Agree.device("embedding", "weight", weight, "indices", indices);
        int rows = weight.shape()[0];
        if (indices.dtype() != DType.I64) {
            throw new IllegalArgumentException("embedding: indices must be I64, got " + indices.dtype() + " of shape "
                    + Arrays.toString(indices.shape()) + " (weight " + Arrays.toString(weight.shape()) + ")");
        }
        // Checked where the indices live: at once on the host, at the device's next synchronising point.
        Internals.bridge().checkRange(indices, 0, rows - 1.0, (i, v) -> new IllegalArgumentException("embedding: index "
                + (long) v + " at flat position " + i + " of indices " + Arrays.toString(indices.shape())
                + " is out of range for weight " + Arrays.toString(weight.shape()) + "; valid indices are 0 to "
                + (rows - 1)));
        int[] outShape = Arrays.copyOf(indices.shape(), indices.dim() + 1);
        outShape[indices.dim()] = weight.shape()[1];
        return weight.indexSelect(0, indices.reshape(-1)).reshape(outShape);
    }

    /**
     * Batch normalisation, {@code torch.nn.functional.batch_norm}, over every dim of
     * {@code x [N, C, ...]} but the channel dim 1. In training the batch statistics normalise
     * (biased variance) and, when given, the running statistics are updated in place without
     * recording: {@code running = (1 - momentum) * running + momentum * batch}, with the unbiased
     * variance. Otherwise the running statistics normalise.
     *
     * @param runningMean {@code [C]} or null (training only)
     * @param runningVar  {@code [C]} or null (training only)
     * @param weight      {@code [C]} scale or null
     * @param bias        {@code [C]} shift or null
     * @return the normalised tensor, shaped like {@code x}
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            boolean training, double momentum, double eps) {
        int c = Norms.checkBatchNorm("batchNorm", x, runningMean, runningVar, weight, bias, training);
        if (!training) {
            return Norms.affineEval(x, runningMean, runningVar, weight, bias, eps);
        }
        int[] axes = new int[x.dim() - 1];
        for (int i = 0, k = 0; i < x.dim(); i++) {
            if (i != 1) {
                axes[k++] = i;
            }
        }
        Tensor[] r = Internals.bridge().normalize("batchNorm", x, axes, weight, bias, eps);
        int n = x.numel() / c;
        try (var g = NoGrad.enter()) {
            if (runningMean != null) {
                runningMean.mulInPlace(1 - momentum).addInPlace(r[1], momentum);
            }
            if (runningVar != null) {
                runningVar.mulInPlace(1 - momentum).addInPlace(r[2], momentum * n / (n - 1.0));
            }
        }
        return r[0];
    }

    /**
     * Layer normalisation, {@code torch.nn.functional.layer_norm}, over the trailing dims given by
     * {@code normalizedShape}, with the biased variance.
     *
     * @param weight scale shaped {@code normalizedShape}, or null
     * @param bias   shift shaped {@code normalizedShape}, or null
     * @return the normalised tensor, shaped like {@code x}
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int[] axes = Norms.checkLayerNorm("layerNorm", x, normalizedShape, weight, bias);
        return Internals.bridge().normalize("layerNorm", x, axes, weight, bias, eps)[0];
    }
}
