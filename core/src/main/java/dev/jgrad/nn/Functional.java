package dev.jgrad.nn;

import dev.jgrad.Tensor;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.internal.Internals;
import java.util.Arrays;

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
        Tensor h = Internals.bridge().linear(x, weight);
        if (bias == null) {
            return Internals.bridge().activation(h, act.op);
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
}
