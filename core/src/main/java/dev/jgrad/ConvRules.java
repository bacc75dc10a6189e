package dev.jgrad;

import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.Window;

/**
 * Convolution as sliding windows and one product, the im2col design: {@link #unfold} lays the
 * windows of {@code x} out as columns, a (grouped) matmul with the weight produces every output
 * pixel at once, and the bias add writes the result in {@code [N, C, H, W]} order. unfold and
 * {@link #fold} are recorded rules and each other's adjoint, so every backward pass, including
 * {@code dx = fold(Wᵀ·dY)} and {@code dW = dY·colsᵀ}, is made of recorded ops and differentiates
 * again.
 *
 * <p>Column layout: the windows are stored {@code [C, kH, kW, N, oH, oW]} in memory, so that group
 * {@code g}'s columns are one {@code [C/G·kH·kW, N·oH·oW]} matrix and the whole batch is a single
 * wide product per group (one GEMM of {@code N·oH·oW} columns splits well between threads, where a
 * product per sample would be too small to).
 */
final class ConvRules {
    /** Memory order for convolution columns: logical dims (n, c, i, j, p, q) stored as (c, i, j, n, p, q). */
    private static final int[] CONV_ORDER = {1, 2, 3, 0, 4, 5};
    /** Memory order for fold's backward: row-major in the logical dims. */
    private static final int[] NATURAL_ORDER = {0, 1, 2, 3, 4, 5};

    private ConvRules() {
    }

    /** {@code torch.nn.functional.conv2d} with square kernel, stride, padding and dilation. */
    static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        Window w = checkConv(x, weight, bias, stride, padding, dilation, groups);
        int n = x.shape[0], out = weight.shape[0], oh = w.outH(x.shape[2]), ow = w.outW(x.shape[3]);
        int depth = weight.shape[1] * w.kernelH() * w.kernelW();
        // The im2col matrix and the output may hold more elements than the input: refuse them here,
        // under conv2d's name, before an internal allocation reports it.
        Checks.shape("conv2d", new int[] {n, x.shape[1], w.kernelH(), w.kernelW(), oh, ow});
        Checks.shape("conv2d", new int[] {n, out, oh, ow});
        Tensor cols = unfold(x, w, CONV_ORDER).permute(CONV_ORDER).reshape(groups, depth, n * oh * ow);
        // [out, N, oH·oW] to [N, out, oH·oW]: pixels stay one contiguous run, so the copy (and its
        // backward) moves rows of oH·oW elements rather than rows of oW.
        Tensor y = weight.reshape(groups, out / groups, depth).matmul(cols).reshape(out, n, oh * ow).permute(1, 0, 2);
        return (bias == null ? y.contiguous() : addBias(y, bias)).reshape(n, out, oh, ow);
    }

    /**
     * {@code y + bias[None, :, None]} for {@code y [N, C, pixels]} in one pass (which also makes
     * the permuted product contiguous). Recorded with a backward that sums the bias gradient as two
     * one-axis reductions, over pixels then over the batch; the generic broadcast rule would reduce
     * axes (0, 2) at once, which has no fast kernel.
     */
    private static Tensor addBias(Tensor y, Tensor bias) {
        int n = y.shape[0], c = y.shape[1], pixels = y.shape[2];
        Tensor b = bias.alias(new int[] {1, c, 1}, new int[] {0, bias.strides[0], 0}, bias.offset);
        Tensor out = Ops.binary("conv2d", BinaryOp.ADD, y, b);
        return Rule.record("conv2dBias", out, new Tensor[] {y, bias}, (node, g) -> new Tensor[] {
            node.needsInputGrad(0) ? g : null,
            node.needsInputGrad(1) ? g.reshape(n, c, pixels).sum(2, false).sum(0, false) : null});
    }

    private static Window checkConv(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation,
                                    int groups) {
        Checks.floating("conv2d", x);
        Checks.compatible("conv2d", x, weight);
        if (x.dim() != 4 || weight.dim() != 4) {
            throw new IllegalArgumentException("conv2d: expected input [N, C, H, W] and weight [out, in/groups, kH, kW],"
                    + " got input " + Checks.str(x.shape) + " and weight " + Checks.str(weight.shape));
        }
        if (stride < 1 || padding < 0 || dilation < 1 || groups < 1) {
            throw new IllegalArgumentException("conv2d: need stride >= 1, padding >= 0, dilation >= 1, groups >= 1, got"
                    + " stride " + stride + ", padding " + padding + ", dilation " + dilation + ", groups " + groups);
        }
        int c = x.shape[1], out = weight.shape[0];
        if (out % groups != 0 || weight.shape[1] * groups != c) {
            throw new IllegalArgumentException("conv2d: input " + Checks.str(x.shape) + " has " + c + " channels but weight "
                    + Checks.str(weight.shape) + " with groups " + groups + " expects " + weight.shape[1] * groups
                    + " (in/groups * groups), and out channels " + out + " must be divisible by groups");
        }
        if (weight.shape[2] != weight.shape[3]) {
            throw new IllegalArgumentException("conv2d: weight " + Checks.str(weight.shape) + " must have a square kernel");
        }
        if (bias != null) {
            Checks.compatible("conv2d", x, bias);
            if (bias.dim() != 1 || bias.shape[0] != out) {
                throw new IllegalArgumentException("conv2d: bias must have shape [" + out + "] to match weight "
                        + Checks.str(weight.shape) + ", got " + Checks.str(bias.shape));
            }
        }
        return window("conv2d", x, weight.shape[2], stride, padding, dilation);
    }

    /**
     * @return the window of a square kernel over {@code x [N, C, H, W]}, after checking that at
     *     least one window fits into the padded input
     */
    static Window window(String op, Tensor x, int kernel, int stride, int padding, int dilation) {
        Window w = Window.square(kernel, stride, padding, dilation);
        int h = x.shape[2], wd = x.shape[3];
        if (w.outH(h) < 1 || w.outW(wd) < 1) {
            int span = dilation * (kernel - 1) + 1;
            throw new IllegalArgumentException(op + ": kernel " + kernel + "x" + kernel + (dilation > 1 ? " (dilation "
                    + dilation + ", span " + span + ")" : "") + " is larger than the padded input " + (h + 2 * padding)
                    + "x" + (wd + 2 * padding) + " of input " + Checks.str(x.shape) + " with padding " + padding);
        }
        return w;
    }

    /**
     * Recorded im2col: the windows of {@code x [N, C, H, W]} as a tensor of logical shape
     * {@code [N, C, kH, kW, oH, oW]}, stored with its dims in {@code memoryOrder} (so that the
     * permutation by {@code memoryOrder} is contiguous). The backward is {@link #fold}.
     */
    static Tensor unfold(Tensor x, Window w, int[] memoryOrder) {
        int h = x.shape[2], wd = x.shape[3];
        int[] shape = {x.shape[0], x.shape[1], w.kernelH(), w.kernelW(), w.outH(h), w.outW(wd)};
        int[] memShape = new int[6];
        for (int d = 0; d < 6; d++) {
            memShape[d] = shape[memoryOrder[d]];
        }
        Tensor mem = Ops.empty(x.device(), x.dtype(), memShape);
        int[] memStrides = mem.strides, strides = new int[6];
        for (int d = 0; d < 6; d++) {
            strides[memoryOrder[d]] = memStrides[d];
        }
        Tensor cols = mem.alias(shape, strides, 0);
        x.backend().unfold(x.desc(), w, cols.desc());
        return Rule.unary("unfold", cols, x, (node, g) -> new Tensor[] {fold(g, w, h, wd)});
    }

    /** Recorded col2im: sums window entries {@code [N, C, kH, kW, oH, oW]} back onto {@code [N, C, h, w]}. */
    static Tensor fold(Tensor cols, Window w, int h, int wd) {
        Tensor out = Ops.empty(cols.device(), cols.dtype(), new int[] {cols.shape[0], cols.shape[1], h, wd});
        cols.backend().fold(cols.desc(), w, out.desc());
        return Rule.unary("fold", out, cols, (node, g) -> new Tensor[] {unfold(g, w, NATURAL_ORDER)});
    }
}
