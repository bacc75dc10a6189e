package dev.jgrad.backend;

import dev.jgrad.DType;
import java.util.Arrays;

/**
 * The primitives one device implements. Everything else a {@link dev.jgrad.Tensor} can do
 * (softmax, losses, the backward rules) is composed from these in the front end.
 *
 * <p>Every method may assume its arguments were validated by the front end (matching dtypes,
 * broadcast shapes, indices in range unless stated otherwise). Only {@code out} is written.
 */
public interface Backend {

    /** @return the device name, e.g. {@code reference}, {@code cpu}, {@code opencl:0} */
    String name();

    /**
     * @param dtype  element type
     * @param length number of elements, {@code >= 0}
     * @return a new zero-filled buffer
     */
    Buffer allocate(DType dtype, int length);

    /**
     * A buffer whose contents are unspecified, for outputs a primitive overwrites completely: on a
     * device it saves the zero-filling pass of {@link #allocate}.
     *
     * @param dtype  element type
     * @param length number of elements, {@code >= 0}
     * @return a new buffer
     */
    default Buffer allocateUninitialized(DType dtype, int length) {
        return allocate(dtype, length);
    }

    /**
     * Takes back a buffer no tensor will use again (a closing {@code MemoryScope}, or a gradient the
     * engine no longer needs), before the garbage collector would find it unreachable. A device
     * backend returns its memory to its pool at once; the default, right for host arrays that the
     * collector reclaims, does nothing.
     *
     * @param buffer a buffer of this backend, never used afterwards
     */
    default void release(Buffer buffer) {
    }

    /**
     * @return whether {@link #release} gives memory back sooner than the garbage collector would,
     *     so that the autograd engine's bookkeeping to release gradients early pays; false by default
     */
    default boolean releasesEagerly() {
        return false;
    }

    /** @return a new F32 buffer holding a copy of {@code data} */
    Buffer upload(float[] data);

    /** @return a new F64 buffer holding a copy of {@code data} */
    Buffer upload(double[] data);

    /** @return a new I64 buffer holding a copy of {@code data} */
    Buffer upload(long[] data);

    /**
     * Copies {@code dst.length} elements starting at {@code offset} of an F32 buffer to the host,
     * blocking until they are available.
     */
    void read(Buffer src, int offset, float[] dst);

    /** As {@link #read(Buffer, int, float[])} for an F64 buffer. */
    void read(Buffer src, int offset, double[] dst);

    /** As {@link #read(Buffer, int, float[])} for an I64 buffer. */
    void read(Buffer src, int offset, long[] dst);

    /** Sets every element of {@code out} to {@code value}. */
    void fill(View out, double value);

    /**
     * {@code out[i] = op(in[i], arg)}. {@link UnaryOp#IDENTITY} also accepts I64 (a strided copy);
     * the other ops take float dtypes, with {@code out} of the same dtype as {@code in}.
     */
    void unary(UnaryOp op, double arg, View in, View out);

    /** {@code out[i] = op(a[i], b[i])}; {@code a}, {@code b} and {@code out} have the same shape and dtype. */
    void binary(BinaryOp op, View a, View b, View out);

    /** {@code out[i] = cond[i] != 0 ? a[i] : b[i]}; {@code cond} may be any dtype. */
    void where(View cond, View a, View b, View out);

    /**
     * Reduces {@code in} over {@code axes} (sorted, distinct). {@code out} has the rank of
     * {@code in} with extent 1 on every reduced axis. An empty reduction yields 0 for SUM.
     */
    void reduce(ReduceOp op, View in, int[] axes, View out);

    /**
     * Batched matrix product {@code out[..., m, n] = sum_k a[..., m, k] * b[..., k, n]}. All three
     * have the same rank {@code >= 2} and the same batch extents (broadcast batches arrive with
     * stride 0). Transposed operands arrive as strides, so backends handle them by packing.
     */
    void matmul(View a, View b, View out);

    /**
     * Independent products {@code out[i] = a[i]·b[i]}, each as {@link #matmul}: a backward pass's
     * {@code dA = dC·Bᵀ} and {@code dB = Aᵀ·dC}, which read the same {@code dC} and write different
     * outputs. No output overlaps an input or another output. A backend may compute them at the
     * same time; the default computes them one after another.
     */
    default void matmuls(View[] a, View[] b, View[] out) {
        for (int i = 0; i < out.length; i++) {
            matmul(a[i], b[i], out[i]);
        }
    }

    /**
     * {@code out[i][j][k] = in[i][index[i][j][k]][k]} for {@code dim = 1} (and likewise for any
     * dim): {@code index} (I64, indices in range) and {@code out} have the same shape.
     */
    void gather(View in, int dim, View index, View out);

    /**
     * The adjoint of {@link #gather}: {@code out[i][index[i][j][k]][k] += src[i][j][k]} for
     * {@code dim = 1}; duplicate indices accumulate.
     */
    void scatterAdd(View src, int dim, View index, View out);

    /**
     * Sliding windows (im2col): for {@code x [N, C, H, W]} and {@code out [N, C, kH, kW, oH, oW]}
     * (any strides: the caller picks the memory layout the following product wants),
     * {@code out[n, c, i, j, p, q] = x[n, c, p*sH - padH + i*dH, q*sW - padW + j*dW]}, or 0 where
     * that position lies outside {@code x} (zero padding). Only {@code out} is written.
     */
    void unfold(View x, Window window, View out);

    /**
     * The adjoint of {@link #unfold} (col2im): {@code out [N, C, H, W]} is overwritten with, at each
     * position, the sum of the {@code cols [N, C, kH, kW, oH, oW]} entries that {@code unfold} would
     * have read from it; entries in the padding are dropped.
     */
    void fold(View cols, Window window, View out);

    /**
     * 2-D pooling of a float {@code x [N, C, H, W]} into {@code out [N, C, oH, oW]} over the windows of
     * {@link #unfold}. Max: the window maximum (a NaN wins, as in PyTorch), and {@code argmax}
     * (I64, same shape as {@code out}) receives its position {@code h*W + w} in the input plane,
     * the first one on ties. Average ({@code argmax} null): the window sum over
     * {@code kH·kW}, padding counted as zeros. Only {@code out} and {@code argmax} are written.
     */
    void pool2d(boolean max, View x, Window window, View out, View argmax);

    // ---- fused ops: each has a default composed of the primitives above; backends override
    // ---- them where one pass over memory pays (benchmarks: TrainStepBenchmark).

    /**
     * Softmax (or log-softmax) along the last dim of a contiguous {@code in}, written to the
     * contiguous {@code out} of the same shape, stably (the row maximum is subtracted first).
     */
    default void softmax(View in, boolean log, View out) {
        int r = in.rank();
        int[] keep = in.shape().clone();
        keep[r - 1] = 1;
        Buffer max = allocate(in.buffer().dtype(), View.contiguous(in.buffer(), keep).numel());
        View m = View.contiguous(max, keep);
        reduce(ReduceOp.MAX, in, new int[] {r - 1}, m);
        View mb = new View(max, 0, in.shape(), broadcastStrides(keep));
        binary(BinaryOp.SUB, in, mb, out);
        Buffer e = allocate(in.buffer().dtype(), in.numel());
        View ev = View.contiguous(e, in.shape());
        unary(UnaryOp.EXP, 0, out, ev);
        reduce(ReduceOp.SUM, ev, new int[] {r - 1}, m);
        if (log) {
            unary(UnaryOp.LOG, 0, m, m);
            binary(BinaryOp.SUB, out, mb, out);
        } else {
            binary(BinaryOp.DIV, ev, mb, out);
        }
    }

    /**
     * The gradient of mean cross-entropy with respect to logits, in one pass:
     * {@code out[i, j] = gradOut * scale * (exp(logProbs[i, j]) - (j == labels[i] ? 1 : 0))} for
     * contiguous {@code [N, C]} log-probabilities and I64 labels {@code [N]}. The incoming gradient
     * {@code gradOut} (a one-element view) stays on the device: a backward never reads it to the host.
     */
    default void crossEntropyBackward(View logProbs, View labels, View gradOut, double scale, View out) {
        unary(UnaryOp.EXP, 0, logProbs, out);
        int n = logProbs.shape()[0];
        Buffer minus = allocate(logProbs.buffer().dtype(), n);
        fill(View.contiguous(minus, new int[] {n, 1}), -1);
        View index = new View(labels.buffer(), labels.offset(), new int[] {n, 1}, new int[] {labels.strides()[0], 0});
        scatterAdd(View.contiguous(minus, new int[] {n, 1}), 1, index, out);
        unary(UnaryOp.MUL_SCALAR, scale, out, out);
        binary(BinaryOp.MUL, out, new View(gradOut.buffer(), gradOut.offset(), out.shape(), new int[out.rank()]), out);
    }

    /** Builds the exception for a value that failed {@link #checkRange}. */
    @FunctionalInterface
    interface RangeFailure {
        /**
         * @param position the row-major position of the first offending element
         * @param value    its value (I64 widened to double)
         * @return the exception to throw, naming the user's op
         */
        RuntimeException at(long position, double value);
    }

    /**
     * Validates that every element of {@code values} lies in {@code [lo, hi]} (NaN never does), as
     * indices and labels must. A host backend throws {@code failure.at(...)} for the first offending
     * element at once; this default copies the values to the host to do so. A device backend may
     * instead enqueue the check and throw at its next synchronising point (a blocking read), as
     * device-side assertions do, so validation never stalls the queue; its kernels must then stay
     * memory-safe on the unchecked values.
     */
    default void checkRange(View values, double lo, double hi, RangeFailure failure) {
        int n = values.numel();
        if (n == 0) {
            return;
        }
        DType t = values.buffer().dtype();
        Buffer copy = allocateUninitialized(t, n);
        unary(UnaryOp.IDENTITY, 0, values, View.contiguous(copy, values.shape()));
        double[] v = new double[n];
        switch (t) {
            case F64 -> read(copy, 0, v);
            case F32 -> {
                float[] f = new float[n];
                read(copy, 0, f);
                Arrays.setAll(v, i -> f[i]);
            }
            case I64 -> {
                long[] l = new long[n];
                read(copy, 0, l);
                Arrays.setAll(v, i -> l[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            if (!(v[i] >= lo && v[i] <= hi)) {
                throw failure.at(i, v[i]);
            }
        }
    }

    /**
     * {@code out = act(x + bias)}, the epilogue of a linear layer: {@code x} and {@code out} are
     * contiguous {@code [..., C]}, {@code bias} is {@code [C]} (any stride), {@code act} a unary op
     * without argument (IDENTITY, RELU, TANH, SIGMOID, GELU).
     */
    default void biasActivation(UnaryOp act, View x, View bias, View out) {
        int c = bias.shape()[0];
        int rows = c == 0 ? 0 : x.numel() / c;
        View rowsOfBias = new View(bias.buffer(), bias.offset(), new int[] {rows, c}, new int[] {0, bias.strides()[0]});
        View x2 = new View(x.buffer(), x.offset(), new int[] {rows, c}, new int[] {c, 1});
        View o2 = new View(out.buffer(), out.offset(), new int[] {rows, c}, new int[] {c, 1});
        binary(BinaryOp.ADD, x2, rowsOfBias, o2);
        if (act != UnaryOp.IDENTITY) {
            unary(act, 0, o2, o2);
        }
    }

    /**
     * Batch-normalisation statistics: for a contiguous float {@code x [N, C, S]}, {@code mean[c]} and
     * the biased {@code var[c]} of the {@code N*S} elements of channel {@code c}, written to the
     * {@code [C]} views {@code mean} and {@code var}. Only those two are written.
     */
    default void channelMoments(View x, View mean, View var) {
        ComposedNorm.moments(this, x, mean, var);
    }

    /**
     * A per-channel affine combination over contiguous {@code [N, C, S]} views:
     * {@code out[n, c, s] = a[n, c, s] * sa[c] + x[n, c, s] * sx[c] + shift[c]}, the middle term absent
     * when {@code x} and {@code sx} are null; {@code sa}, {@code sx} and {@code shift} are {@code [C]}.
     * Batch norm's forward ({@code x * scale + shift}) and input gradient are both of this form.
     */
    default void channelAffine(View a, View sa, View x, View sx, View shift, View out) {
        ComposedNorm.affine(this, a, sa, x, sx, shift, out);
    }

    /**
     * The per-channel sums of batch norm's backward over contiguous {@code g} and {@code x}
     * {@code [N, C, S]}: {@code sums[c] = Σ g[n, c, s]} and
     * {@code dots[c] = Σ g[n, c, s] * (x[n, c, s] - center[c])}, all three {@code [C]}.
     */
    default void channelSums(View g, View x, View center, View sums, View dots) {
        ComposedNorm.sums(this, g, x, center, sums, dots);
    }

    /**
     * Layer normalisation of the rows of a contiguous float {@code x [R, S]}: {@code mean[r]}, the
     * reciprocal standard deviation {@code rstd[r] = 1 / sqrt(var[r] + eps)} (variance biased) and
     * {@code out[r, s] = (x[r, s] - mean[r]) * rstd[r] * weight[s] + bias[s]}. {@code weight} and
     * {@code bias} are {@code [S]} of any stride, either may be null (then 1 and 0); {@code out} is
     * contiguous {@code [R, S]}, {@code mean} and {@code rstd} contiguous {@code [R]}. Only those three
     * are written.
     */
    default void layerNorm(View x, View weight, View bias, double eps, View out, View mean, View rstd) {
        ComposedLayerNorm.forward(this, x, weight, bias, eps, out, mean, rstd);
    }

    /**
     * The backward of {@link #layerNorm} from the upstream gradient {@code g [R, S]} (any strides, e.g.
     * broadcast from a sum), the contiguous input {@code x} and the saved {@code mean}, {@code rstd}:
     * with {@code xhat = (x - mean) * rstd} and {@code gy = g * weight},
     * {@code dx = rstd * (gy - mean_s(gy) - xhat * mean_s(gy * xhat))} (contiguous {@code [R, S]}),
     * {@code dweight[s] = Σ_r g * xhat} and {@code dbias[s] = Σ_r g} ({@code [S]}, overwritten).
     * {@code weight} (null: 1), {@code dx}, {@code dweight} and {@code dbias} may be null; an output
     * that is null is not computed.
     */
    default void layerNormBackward(View g, View x, View mean, View rstd, View weight, View dx, View dweight,
                                   View dbias) {
        ComposedLayerNorm.backward(this, g, x, mean, rstd, weight, dx, dweight, dbias);
    }

    /**
     * One LSTM layer over a whole sequence (PyTorch's gate order {@code i, f, g, o}): for each step
     * {@code t}, {@code a = xProj[t] + h_{t-1} · wHhᵀ}, {@code i, f, o = σ(a_i, a_f, a_o)},
     * {@code g = tanh(a_g)}, {@code c_t = f c_{t-1} + i g}, {@code h_t = o tanh(c_t)}, starting from
     * {@code h0, c0}. All views but {@code wHh} are contiguous; {@code T} may be 0.
     *
     * @param xProj   the input projection with both biases, {@code [T, N, 4H]}
     * @param wHh     the recurrent weight {@code [4H, H]} (any strides)
     * @param h0      the initial hidden state {@code [N, H]}
     * @param c0      the initial cell state {@code [N, H]}
     * @param gates   written: the activated gates {@code i, f, g, o} of every step, {@code [T, N, 4H]}
     * @param cells   written: {@code c_t}, {@code [T, N, H]}
     * @param hiddens written: {@code h_t}, {@code [T, N, H]}
     */
    default void lstmForward(View xProj, View wHh, View h0, View c0, View gates, View cells, View hiddens) {
        ComposedRecurrent.forward(this, xProj, wHh, h0, c0, gates, cells, hiddens);
    }

    /**
     * Backpropagation through time of {@link #lstmForward}: walks the steps in reverse, carrying
     * {@code dh = gradHidden[t] + gradGates[t+1] · wHh} and {@code dc}, and writes the gradient of
     * every step's pre-activation gates; the products over all steps (weights, inputs, biases) are
     * left to the caller as single GEMMs. All views but {@code wHh} are contiguous.
     *
     * @param gates      the activated gates {@code lstmForward} wrote, {@code [T, N, 4H]}
     * @param cells      the cell states it wrote, {@code [T, N, H]}
     * @param c0         the initial cell state {@code [N, H]}
     * @param wHh        the recurrent weight {@code [4H, H]}
     * @param gradHidden the gradient reaching each {@code h_t} from outside the recurrence, {@code [T, N, H]}
     * @param gradCells  the gradient reaching each {@code c_t} from outside the recurrence, {@code [T, N, H]}
     * @param gradGates  written: the gradient of each step's pre-activation gates, {@code [T, N, 4H]}
     * @param gradH0     written: the gradient of {@code h0}, {@code [N, H]}
     * @param gradC0     written: the gradient of {@code c0}, {@code [N, H]}
     */
    default void lstmBackward(View gates, View cells, View c0, View wHh, View gradHidden, View gradCells,
            View gradGates, View gradH0, View gradC0) {
        ComposedRecurrent.backward(this, gates, cells, c0, wHh, gradHidden, gradCells, gradGates, gradH0, gradC0);
    }

    /**
     * One GRU layer over a whole sequence (PyTorch's gate order {@code r, z, n}): for each step,
     * {@code a = h_{t-1} · wHhᵀ + bHh}, {@code r, z = σ(xProj[t]_{r,z} + a_{r,z})},
     * {@code n = tanh(xProj[t]_n + r a_n)}, {@code h_t = (1 - z) n + z h_{t-1}}, from {@code h0}.
     * All views but {@code wHh} and {@code bHh} are contiguous; {@code T} may be 0.
     *
     * @param xProj   the input projection with {@code b_ih}, {@code [T, N, 3H]}
     * @param wHh     the recurrent weight {@code [3H, H]} (any strides)
     * @param bHh     the recurrent bias {@code [3H]} (any stride)
     * @param h0      the initial hidden state {@code [N, H]}
     * @param gates   written: {@code r, z, n} and the hidden part {@code a_n} of every step, {@code [T, N, 4H]}
     * @param hiddens written: {@code h_t}, {@code [T, N, H]}
     */
    default void gruForward(View xProj, View wHh, View bHh, View h0, View gates, View hiddens) {
        ComposedRecurrent.gruForward(this, xProj, wHh, bHh, h0, gates, hiddens);
    }

    /**
     * Backpropagation through time of {@link #gruForward}: writes the gradients of every step's
     * input-side pre-activations ({@code xProj}'s) and hidden-side ones ({@code a}'s, which differ in
     * the {@code n} block by the reset gate), leaving the products over all steps to the caller.
     * All views but {@code wHh} are contiguous.
     *
     * @param gates           what {@code gruForward} wrote, {@code [T, N, 4H]}
     * @param hiddens         the hidden states it wrote, {@code [T, N, H]}
     * @param h0              the initial hidden state {@code [N, H]}
     * @param wHh             the recurrent weight {@code [3H, H]}
     * @param gradHidden      the gradient reaching each {@code h_t} from outside the recurrence, {@code [T, N, H]}
     * @param gradInputGates  written: the gradient of {@code xProj}, {@code [T, N, 3H]}
     * @param gradHiddenGates written: the gradient of {@code a}, {@code [T, N, 3H]}
     * @param gradH0          written: the gradient of {@code h0}, {@code [N, H]}
     */
    default void gruBackward(View gates, View hiddens, View h0, View wHh, View gradHidden, View gradInputGates,
            View gradHiddenGates, View gradH0) {
        ComposedRecurrent.gruBackward(this, gates, hiddens, h0, wHh, gradHidden, gradInputGates, gradHiddenGates,
                gradH0);
    }

    /** {@code y += alpha * x} for views of one shape: the SGD step without a temporary. */
    default void axpy(double alpha, View x, View y) {
        Buffer t = allocate(x.buffer().dtype(), x.numel());
        View tv = View.contiguous(t, x.shape());
        unary(UnaryOp.MUL_SCALAR, alpha, x, tv);
        binary(BinaryOp.ADD, y, tv, y);
    }

    /**
     * Applies one optimizer step to many parameters at once (PyTorch's multi-tensor "foreach" idea:
     * one call, not one dispatch per parameter). Each row of {@code rows} is
     * {@code {p, g, state0, ...}} with {@link UpdateStep#states()} states, all of one dtype and of
     * {@code p}'s shape, none overlapping another; {@code p} and the states are updated in place by
     * the formula documented on the step's record, {@code g} is only read. The default runs the
     * composed sequence of elementwise primitives for each row.
     *
     * @param step the rule and its coefficients for this step
     * @param rows one row per parameter
     */
    default void update(UpdateStep step, View[][] rows) {
        ComposedUpdate composed = new ComposedUpdate(this);
        for (View[] row : rows) {
            if (row[0].numel() > 0) {
                composed.run(step, row);
            }
        }
    }

    /** @return strides that broadcast a keep-dim shape (extent-1 dims get stride 0) */
    private static int[] broadcastStrides(int[] keepShape) {
        int[] s = View.contiguousStrides(keepShape);
        for (int d = 0; d < s.length; d++) {
            if (keepShape[d] == 1) {
                s[d] = 0;
            }
        }
        return s;
    }
}
