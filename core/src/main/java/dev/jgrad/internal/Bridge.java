package dev.jgrad.internal;

import dev.jgrad.DType;
import dev.jgrad.Device;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.Node;
import dev.jgrad.backend.Backend;
import dev.jgrad.backend.Buffer;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.UpdateStep;
import java.util.List;
import java.util.function.Function;

/**
 * What the tensor front end ({@code dev.jgrad}) lends its sibling packages: the autograd rules that
 * are not {@code Tensor} methods (fused layer kernels), and the engine's view of a tensor.
 * Implemented by {@code dev.jgrad.BridgeImpl}; reached through {@link Internals#bridge()}. Every
 * entry validates its arguments as a {@code Tensor} method does, unless its Javadoc says otherwise.
 */
public interface Bridge {

    // ---- engine bookkeeping

    /**
     * @return the node that receives {@code t}'s gradient in backward: its {@code gradFn}, or for a
     *         leaf requiring grad its accumulator; null if it needs no gradient
     */
    Node gradEdge(Tensor t);

    /** @return the leaf's accumulated gradient, or null */
    Tensor grad(Tensor leaf);

    /** Replaces the leaf's {@code .grad()} (the accumulator node's only write). */
    void setGrad(Tensor leaf, Tensor grad);

    /**
     * Takes {@code t}'s memory out of the {@code MemoryScope} that created it: it now belongs to a
     * long-lived object (module parameter or buffer, optimizer state). Null is ignored.
     */
    void persist(Tensor t);

    /**
     * Starts recording the tensors a backward creates on this thread, when {@code device} gives
     * memory back sooner than the collector ({@link Backend#releasesEagerly()}).
     *
     * @return a token for {@link #allocatedSince} and {@link #endAllocations}, or null when not worth it
     */
    Object beginAllocations(Device device);

    /** @return whether {@code t}'s memory was created since {@code token} and nothing has claimed it */
    boolean allocatedSince(Object token, Tensor t);

    /** Releases the memory of {@code t} (and every view of it) now; later use throws. */
    void release(Tensor t, String by);

    /** Stops recording; what was recorded and not released passes to the enclosing scope, if any. */
    void endAllocations(Object token);

    /** @return a token recording what one backward rule allocates, inside a {@link #beginAllocations} record */
    Object beginRule();

    /**
     * Ends a {@link #beginRule} record: releases the rule's temporaries, everything it allocated
     * but the memory of {@code results} (the gradients it returned, possibly views).
     */
    void endRule(Object token, Tensor[] results);

    /** @return an object identifying {@code t}'s memory: equal for tensors that share storage */
    Object storage(Tensor t);

    /**
     * A contiguous tensor over {@code buffer}, which the caller allocated from {@code device}'s
     * backend and has filled (readers such as {@code dev.jgrad.io.SafeTensors} decode straight into
     * it instead of copying a host array). The buffer's length must equal the shape's element count.
     */
    Tensor wrap(Device device, Buffer buffer, int[] shape, DType dtype);

    // ---- fused layer rules (dev.jgrad.nn)

    /** {@code x · weightᵀ} as one recorded op; see {@code dev.jgrad.nn.Functional#linear}. */
    Tensor linear(Tensor x, Tensor weight);

    /** {@code act(x)} for an elementwise activation op (RELU, SIGMOID, ...), recorded with its derivative. */
    Tensor activation(Tensor x, UnaryOp act);

    /** {@code act(x + bias)} in one pass, for an activation a linear layer can fuse. */
    Tensor biasActivation(Tensor x, Tensor bias, UnaryOp act);

    /** Mean cross-entropy of {@code logits [N, C]} at validated I64 {@code labels [N]}. */
    Tensor crossEntropy(Tensor logits, Tensor labels);

    // ---- convolution and pooling (dev.jgrad.nn.Functional)

    /** {@code conv2d}; see {@code dev.jgrad.nn.Functional#conv2d}. */
    Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups);

    /** {@code max_pool2d}; see {@code dev.jgrad.nn.Functional#maxPool2d}. */
    Tensor maxPool2d(Tensor x, int kernel, int stride, int padding);

    /** {@code avg_pool2d}; see {@code dev.jgrad.nn.Functional#avgPool2d}. */
    Tensor avgPool2d(Tensor x, int kernel, int stride, int padding);

    /** {@code adaptive_avg_pool2d}; see {@code dev.jgrad.nn.Functional#adaptiveAvgPool2d}. */
    Tensor adaptiveAvgPool2d(Tensor x, int outputSize);

    /**
     * Normalisation over sorted distinct {@code axes} with an optional affine transform, the rule
     * behind batch and layer norm; arguments validated by {@code nn.Functional}.
     *
     * @param axes   the trailing dims (layer norm) or every dim but 1 (batch norm)
     * @param weight scale or null, shaped like the normalised dims (layer norm) or {@code [C]} (batch norm)
     * @param bias   shift or null, shaped like {@code weight}
     * @return {@code {y, mean, biasedVar}}; the statistics per group ({@code [C]} for batch norm) and
     *         not in the graph; {@code biasedVar} null for layer norm (nothing reads it)
     */
    Tensor[] normalize(String name, Tensor x, int[] axes, Tensor weight, Tensor bias, double eps);

    /**
     * One LSTM layer as a single recorded op (the input projection of all steps as one GEMM, the
     * recurrence in the backend's fused sequence primitive, the weight gradients as one GEMM each);
     * arguments validated by {@code nn.LSTM}.
     *
     * @param inputs   {@code {x [T, N, in], weight_ih [4H, in], weight_hh [4H, H], bias_ih [4H],
     *                 bias_hh [4H], h0 [N, H], c0 [N, H]}}, {@code T >= 1}
     * @param composed the same layer as recorded per-step ops on those inputs, returning the same
     *                 layout; differentiated instead when the backward itself is recorded ({@code createGraph})
     * @return {@code [2, T+1, N, H]}: {@code [0]} holds {@code h_0 ... h_T}, {@code [1]} holds {@code c_0 ... c_T}
     */
    Tensor lstm(Tensor[] inputs, Function<Tensor[], Tensor> composed);

    /**
     * One GRU layer as a single recorded op, as {@link #lstm}.
     *
     * @param inputs   {@code {x [T, N, in], weight_ih [3H, in], weight_hh [3H, H], bias_ih [3H],
     *                 bias_hh [3H], h0 [N, H]}}, {@code T >= 1}
     * @param composed the same layer as recorded per-step ops, returning the same layout
     * @return {@code [T+1, N, H]}: {@code h_0 ... h_T}
     */
    Tensor gru(Tensor[] inputs, Function<Tensor[], Tensor> composed);

    // ---- optimizers (dev.jgrad.optim)

    /**
     * One fused optimizer step through the in-place gate: every row {@code {p, g, states...}} is
     * validated (no recording on p, each operand on p's device with p's dtype and shape, no two
     * parameters sharing memory) before anything is written; then the rows with equal steps on one
     * device run as one {@link dev.jgrad.backend.Backend#update} call; then every parameter's and
     * state's version is bumped.
     *
     * @param op    the optimizer's name, for messages
     * @param steps each row's rule and coefficients
     * @param rows  one row per parameter
     * @param ids   each row's parameter index, for messages
     * @throws IllegalArgumentException naming the optimizer, the parameter index, shapes, dtypes and
     *                                  devices; nothing is modified then
     */
    void update(String op, List<UpdateStep> steps, List<Tensor[]> rows, int[] ids);

    /**
     * Validates that every element of {@code t} lies in {@code [lo, hi]} (NaN never does): at once on
     * host backends, at the device's next synchronising point elsewhere, so a loss's label check
     * never reads device memory ({@link Backend#checkRange}).
     *
     * @param failure builds the exception, naming the user's op, from the first offending
     *                row-major position and its value
     */
    void checkRange(Tensor t, double lo, double hi, Backend.RangeFailure failure);
}
