package dev.jgrad;

import dev.jgrad.autograd.Autograd;
import dev.jgrad.autograd.Node;
import dev.jgrad.backend.Backend;
import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.View;
import dev.jgrad.internal.Internals;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * An n-dimensional array that records the ops applied to it, so that {@link #backward()} can
 * compute gradients by the chain rule. The semantics follow PyTorch: broadcasting, views that share
 * memory, gradients that accumulate into {@link #grad()} of leaves created with
 * {@code requiresGrad(true)}.
 *
 * <p>This class is the user's face and nothing more: each method validates its arguments and
 * delegates to an autograd rule ({@code *Rules} classes in this package). Shapes are {@code int[]};
 * every method that takes a dim accepts negative values counting from the end. Tensors are not
 * thread-safe for concurrent mutation; concurrent reads are safe.
 */
public final class Tensor {
    private static final Generator DEFAULT_GENERATOR = new Generator(0x5EEDL);

    static {
        Internals.install(new BridgeImpl());
    }

    final Storage storage;
    final int[] shape;
    final int[] strides;
    final int offset;
    final DType dtype;
    Node gradFn;
    private boolean requiresGrad;
    private Tensor grad;
    private Node accumulator;
    /** The backend's view of this tensor, built on first use (shape and strides never change). */
    private View desc;

    Tensor(Storage storage, int[] shape, int[] strides, int offset, DType dtype) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.dtype = dtype;
    }

    // ---------------------------------------------------------------- factories

    /** @return an F32 tensor holding a copy of {@code data} in row-major order with the given shape */
    public static Tensor of(float[] data, int... shape) {
        return Factories.of(Objects.requireNonNull(data, "data"), shape);
    }

    /** @return an F64 tensor holding a copy of {@code data} in row-major order with the given shape */
    public static Tensor of(double[] data, int... shape) {
        return Factories.of(Objects.requireNonNull(data, "data"), shape);
    }

    /** @return an I64 tensor (indices, labels) holding a copy of {@code data} with the given shape */
    public static Tensor of(long[] data, int... shape) {
        return Factories.of(Objects.requireNonNull(data, "data"), shape);
    }

    /** @return a 0-dimensional F32 tensor */
    public static Tensor scalar(double value) {
        return scalar(value, DType.F32);
    }

    /** @return a 0-dimensional tensor of the given dtype */
    public static Tensor scalar(double value, DType dtype) {
        return full(value, dtype);
    }

    /** @return an F32 tensor of zeros */
    public static Tensor zeros(int... shape) {
        return filled("zeros", 0, DType.F32, shape);
    }

    /** @return a tensor of zeros of the given dtype */
    public static Tensor zeros(DType dtype, int... shape) {
        return filled("zeros", 0, dtype, shape);
    }

    /** @return an F32 tensor of ones */
    public static Tensor ones(int... shape) {
        return filled("ones", 1, DType.F32, shape);
    }

    /** @return a tensor of ones of the given dtype */
    public static Tensor ones(DType dtype, int... shape) {
        return filled("ones", 1, dtype, shape);
    }

    /** @return an F32 tensor with every element {@code value} */
    public static Tensor full(double value, int... shape) {
        return full(value, DType.F32, shape);
    }

    /** @return a tensor of the given dtype with every element {@code value} */
    public static Tensor full(double value, DType dtype, int... shape) {
        return filled("full", value, dtype, shape);
    }

    /** {@code full} under the name of the factory the user called, so a bad shape names that factory. */
    private static Tensor filled(String op, double value, DType dtype, int[] shape) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Checks.shape(op, shape);
        return Ops.full(Device.defaultDevice(), dtype, shape.clone(), value);
    }

    /** @return the I64 tensor {@code [0, 1, ..., end-1]}, like {@code torch.arange(end)} */
    public static Tensor arange(int end) {
        return Factories.arange(end);
    }

    /** @return the F32 tensor {@code [start, start+step, ...]} of values below {@code end} */
    public static Tensor arange(double start, double end, double step) {
        return Factories.arange(start, end, step, DType.F32);
    }

    /** @return values in {@code [start, end)} spaced by {@code step}, of the given float dtype */
    public static Tensor arange(double start, double end, double step, DType dtype) {
        return Factories.arange(start, end, step, dtype);
    }

    /**
     * Seeds the default generator, as {@code torch.manual_seed}: the {@code rand}, {@code randn} and
     * {@code *Like} factories without a generator, {@code nn.Init}, dropout and data shuffling draw
     * from it.
     */
    public static void manualSeed(long seed) {
        DEFAULT_GENERATOR.manualSeed(seed);
    }

    /** @return the default generator (shared by all threads; see {@link #manualSeed(long)}) */
    public static Generator defaultGenerator() {
        return DEFAULT_GENERATOR;
    }

    /** @return an F32 tensor of uniform values in {@code [0, 1)} from the default generator ({@code torch.rand}) */
    public static Tensor rand(int... shape) {
        return rand(DEFAULT_GENERATOR, DType.F32, shape);
    }

    /** @return an F32 tensor of uniform values in {@code [0, 1)} drawn from {@code rng} */
    public static Tensor rand(RandomGenerator rng, int... shape) {
        return rand(rng, DType.F32, shape);
    }

    /** @return a tensor of uniform values in {@code [0, 1)} drawn from {@code rng} */
    public static Tensor rand(RandomGenerator rng, DType dtype, int... shape) {
        return Factories.random(Objects.requireNonNull(rng, "rng"), dtype, shape, false);
    }

    /** @return an F32 tensor of standard normal values from the default generator ({@code torch.randn}) */
    public static Tensor randn(int... shape) {
        return randn(DEFAULT_GENERATOR, DType.F32, shape);
    }

    /** @return an F32 tensor of standard normal values drawn from {@code rng} */
    public static Tensor randn(RandomGenerator rng, int... shape) {
        return randn(rng, DType.F32, shape);
    }

    /** @return a tensor of standard normal values drawn from {@code rng} */
    public static Tensor randn(RandomGenerator rng, DType dtype, int... shape) {
        return Factories.random(Objects.requireNonNull(rng, "rng"), dtype, shape, true);
    }

    /** @return zeros with this tensor's shape, dtype and device ({@code torch.zeros_like}) */
    public Tensor zerosLike() {
        return Ops.full(device(), dtype, shape, 0);
    }

    /** @return {@code value} everywhere, with this tensor's shape, dtype and device ({@code torch.full_like}) */
    public Tensor fullLike(double value) {
        return Ops.full(device(), dtype, shape, value);
    }

    /** @return uniform values in {@code [0, 1)} from the default generator, shaped, typed and placed like this */
    public Tensor randLike() {
        return Factories.randomLike("randLike", this, DEFAULT_GENERATOR, false);
    }

    /** @return standard normal values from the default generator, shaped, typed and placed like this */
    public Tensor randnLike() {
        return Factories.randomLike("randnLike", this, DEFAULT_GENERATOR, true);
    }

    // ---------------------------------------------------------------- accessors

    /** @return a copy of the shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of dimensions */
    public int dim() {
        return shape.length;
    }

    /** @return the number of elements */
    public int numel() {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** @return the element type */
    public DType dtype() {
        return dtype;
    }

    /** @return the device holding this tensor */
    public Device device() {
        return storage.device;
    }

    /** @return a copy of the strides, in elements */
    public int[] strides() {
        return strides.clone();
    }

    /** @return whether the elements are laid out row-major without gaps */
    public boolean isContiguous() {
        return desc().isContiguous();
    }

    /** @return the in-place modification counter shared with every view of the same memory */
    public int version() {
        return storage.version;
    }

    /** @return the single element as a double; blocks until it is computed */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: needs a tensor with exactly one element, got shape "
                    + Checks.str(shape) + " (" + numel() + " elements)");
        }
        return toDoubleArray()[0];
    }

    /** @return the elements in row-major order, converted to float */
    public float[] toFloatArray() {
        return HostCopy.toFloat(this);
    }

    /** @return the elements in row-major order, converted to double */
    public double[] toDoubleArray() {
        return HostCopy.toDouble(this);
    }

    /** @return the elements in row-major order, converted to long (floats truncate toward zero) */
    public long[] toLongArray() {
        return HostCopy.toLong(this);
    }

    @Override
    public String toString() {
        return TensorFormat.format(this);
    }

    // ---------------------------------------------------------------- views

    /** @return a tensor with the same elements in the given shape (one dim may be -1); a view when possible */
    public Tensor reshape(int... newShape) {
        return ShapeRules.reshape(this, newShape, "reshape");
    }

    /** @return a view with the given shape; the tensor must be contiguous */
    public Tensor view(int... newShape) {
        return ShapeRules.view(this, newShape);
    }

    /** @return this tensor flattened to one dimension */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** @return a view with dims {@code dim0} and {@code dim1} swapped */
    public Tensor transpose(int dim0, int dim1) {
        return ShapeRules.transpose(this, dim0, dim1);
    }

    /** @return a view with the dims reordered: dim {@code i} of the result is {@code dims[i]} of this */
    public Tensor permute(int... dims) {
        return ShapeRules.permute(this, dims);
    }

    /** @return a broadcast view with the given shape (-1 keeps a dim); no memory is copied */
    public Tensor expand(int... newShape) {
        return ShapeRules.expand(this, newShape);
    }

    /** @return a view without any size-1 dims */
    public Tensor squeeze() {
        return ShapeRules.squeeze(this, null);
    }

    /** @return a view without {@code dim} if its size is 1, else this */
    public Tensor squeeze(int dim) {
        return ShapeRules.squeeze(this, dim);
    }

    /** @return a view with a new size-1 dim inserted at {@code dim} (in {@code [-dim()-1, dim()]}) */
    public Tensor unsqueeze(int dim) {
        return ShapeRules.unsqueeze(this, dim);
    }

    /** @return a view of {@code length} entries along {@code dim} starting at {@code start} */
    public Tensor narrow(int dim, int start, int length) {
        return ShapeRules.narrow(this, dim, start, length);
    }

    /** @return the slice {@code [start, end)} along {@code dim} (negative bounds count from the end) */
    public Tensor slice(int dim, int start, int end) {
        int d = Checks.dim("slice", dim, dim());
        int size = shape[d];
        int s = Math.max(0, Math.min(size, start < 0 ? start + size : start));
        int e = Math.max(s, Math.min(size, end < 0 ? end + size : end));
        return narrow(d, s, e - s);
    }

    /** @return the view at {@code index} along {@code dim}, with that dim removed */
    public Tensor select(int dim, int index) {
        int d = Checks.dim("select", dim, dim());
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new IllegalArgumentException("select: index " + index + " is out of range for dim " + dim
                    + " of size " + shape[d] + " in shape " + Checks.str(shape));
        }
        return narrow(d, i, 1).squeeze(d);
    }

    /** @return this if contiguous, else a row-major copy */
    public Tensor contiguous() {
        return ShapeRules.contiguous(this);
    }

    /** @return a new tensor with a copy of this one's elements (differentiable) */
    public Tensor copy() {
        return ShapeRules.copy(this);
    }

    // ---------------------------------------------------------------- elementwise

    /** @return {@code this + other}, broadcasting */
    public Tensor add(Tensor other) {
        return ElementwiseRules.add(this, other);
    }

    /** @return {@code this + value} */
    public Tensor add(double value) {
        return ElementwiseRules.addScalar(this, value);
    }

    /** @return {@code this - other}, broadcasting */
    public Tensor sub(Tensor other) {
        return ElementwiseRules.sub(this, other);
    }

    /** @return {@code this - value} */
    public Tensor sub(double value) {
        return ElementwiseRules.addScalar(this, -value);
    }

    /** @return {@code this * other}, broadcasting */
    public Tensor mul(Tensor other) {
        return ElementwiseRules.mul(this, other);
    }

    /** @return {@code this * value} */
    public Tensor mul(double value) {
        return ElementwiseRules.mulScalar(this, value);
    }

    /** @return {@code this / other}, broadcasting */
    public Tensor div(Tensor other) {
        return ElementwiseRules.div(this, other);
    }

    /** @return {@code this / value} */
    public Tensor div(double value) {
        return ElementwiseRules.divScalar(this, value);
    }

    /** @return {@code -this} */
    public Tensor neg() {
        return MathRules.neg(this);
    }

    /** @return {@code this ^ exponent} elementwise */
    public Tensor pow(double exponent) {
        return MathRules.pow(this, exponent);
    }

    /** @return {@code e ^ this} */
    public Tensor exp() {
        return MathRules.exp(this);
    }

    /** @return the natural logarithm */
    public Tensor log() {
        return MathRules.log(this);
    }

    /** @return the square root */
    public Tensor sqrt() {
        return MathRules.sqrt(this);
    }

    /** @return the absolute value (gradient 0 at 0, as PyTorch) */
    public Tensor abs() {
        return MathRules.abs(this);
    }

    /** @return {@code 1 / sqrt(this)} */
    public Tensor rsqrt() {
        return MathRules.rsqrt(this);
    }

    /** @return {@code log(1 + this)}, accurate for tiny values */
    public Tensor log1p() {
        return MathRules.log1p(this);
    }

    /** @return {@code log(1 + e^x)} (PyTorch's softplus with beta 1, threshold 20) */
    public Tensor softplus() {
        return MathRules.softplus(this, 1, 20);
    }

    /** @return {@code log(1 + e^(beta x)) / beta}, or {@code x} where {@code beta x > threshold} (PyTorch's softplus) */
    public Tensor softplus(double beta, double threshold) {
        return MathRules.softplus(this, beta, threshold);
    }

    /** @return the error function */
    public Tensor erf() {
        return MathRules.erf(this);
    }

    /** @return values limited to {@code [min, max]}; the gradient flows where {@code min <= x <= max} */
    public Tensor clamp(double min, double max) {
        return MathRules.clamp(this, min, max);
    }

    /** @return the elementwise maximum, broadcasting; ties split the gradient equally */
    public Tensor maximum(Tensor other) {
        return ElementwiseRules.maximum(this, other);
    }

    /** @return the elementwise minimum, broadcasting; ties split the gradient equally */
    public Tensor minimum(Tensor other) {
        return ElementwiseRules.minimum(this, other);
    }

    /** @return 1 where {@code this > other}, else 0, in this dtype (not differentiable) */
    public Tensor gt(Tensor other) {
        return ElementwiseRules.compare("gt", BinaryOp.GT, this, other);
    }

    /** @return 1 where {@code this < other}, else 0, in this dtype (not differentiable) */
    public Tensor lt(Tensor other) {
        return ElementwiseRules.compare("lt", BinaryOp.LT, this, other);
    }

    /** @return 1 where {@code this == other}, else 0, in this dtype (not differentiable) */
    public Tensor eq(Tensor other) {
        return ElementwiseRules.compare("eq", BinaryOp.EQ, this, other);
    }

    /** @return a copy with {@code value} where {@code mask} (broadcast to this shape) is nonzero ({@code masked_fill}) */
    public Tensor maskedFill(Tensor mask, double value) {
        return ElementwiseRules.maskedFill(this, Objects.requireNonNull(mask, "mask"), value);
    }

    /**
     * @param cond where nonzero, take {@code a}; elsewhere {@code b} (any dtype; not differentiated)
     * @return the elementwise selection, broadcasting all three
     */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return ElementwiseRules.where(cond, a, b);
    }

    // ---------------------------------------------------------------- activations

    /** @return {@code max(x, 0)} */
    public Tensor relu() {
        return ActivationRules.relu(this);
    }

    /** @return {@code x} where positive, else {@code negativeSlope * x} */
    public Tensor leakyRelu(double negativeSlope) {
        return ActivationRules.leakyRelu(this, negativeSlope);
    }

    /** @return {@code 1 / (1 + e^-x)} */
    public Tensor sigmoid() {
        return ActivationRules.sigmoid(this);
    }

    /** @return the hyperbolic tangent */
    public Tensor tanh() {
        return ActivationRules.tanh(this);
    }

    /** @return the exact GELU {@code x * Phi(x)}, PyTorch's default (erf) form */
    public Tensor gelu() {
        return ActivationRules.gelu(this);
    }

    /** @return SiLU (swish) {@code x * sigmoid(x)} */
    public Tensor silu() {
        return ActivationRules.silu(this);
    }

    /** @return softmax along {@code dim}, computed stably (max subtracted) */
    public Tensor softmax(int dim) {
        return ActivationRules.softmax(this, dim);
    }

    /** @return log-softmax along {@code dim}, computed stably with log-sum-exp */
    public Tensor logSoftmax(int dim) {
        return ActivationRules.logSoftmax(this, dim);
    }

    // ---------------------------------------------------------------- matmul and reductions

    /** @return the matrix product with {@code torch.matmul} semantics (1-D, 2-D, batched, broadcast) */
    public Tensor matmul(Tensor other) {
        return MatMulRules.matmul(this, other);
    }

    /** @return the sum of all elements, as a 0-dimensional tensor */
    public Tensor sum() {
        return ReductionRules.sumAll(this);
    }

    /** @return the sum along {@code dim}, keeping it as size 1 when {@code keepDim} */
    public Tensor sum(int dim, boolean keepDim) {
        return ReductionRules.sum(this, dim, keepDim);
    }

    /** @return the mean of all elements (NaN for an empty tensor, as PyTorch) */
    public Tensor mean() {
        return ReductionRules.meanAll(this);
    }

    /** @return the mean along {@code dim} */
    public Tensor mean(int dim, boolean keepDim) {
        return ReductionRules.mean(this, dim, keepDim);
    }

    /** @return the variance along {@code dim}, divided by {@code n - 1} when {@code unbiased}, else by {@code n} */
    public Tensor var(int dim, boolean unbiased, boolean keepDim) {
        return StatRules.var(this, dim, unbiased, keepDim);
    }

    /** @return the standard deviation along {@code dim}: {@code sqrt(var(dim, unbiased, keepDim))} */
    public Tensor std(int dim, boolean unbiased, boolean keepDim) {
        return StatRules.std(this, dim, unbiased, keepDim);
    }

    /** @return the largest value along {@code dim}; the gradient goes to the first maximal element */
    public Tensor max(int dim, boolean keepDim) {
        return ReductionRules.extreme(this, dim, keepDim, true);
    }

    /** @return the smallest value along {@code dim}; the gradient goes to the first minimal element */
    public Tensor min(int dim, boolean keepDim) {
        return ReductionRules.extreme(this, dim, keepDim, false);
    }

    /** @return the largest element, as a 0-dimensional tensor */
    public Tensor max() {
        return ReductionRules.extreme(flatten(), 0, false, true);
    }

    /** @return the smallest element, as a 0-dimensional tensor */
    public Tensor min() {
        return ReductionRules.extreme(flatten(), 0, false, false);
    }

    /** @return the I64 index of the first largest element along {@code dim}, that dim removed */
    public Tensor argmax(int dim) {
        return ReductionRules.argIndex(this, dim, true);
    }

    /** @return the I64 index of the first smallest element along {@code dim}, that dim removed */
    public Tensor argmin(int dim) {
        return ReductionRules.argIndex(this, dim, false);
    }

    // ---------------------------------------------------------------- joining and indexing

    /**
     * Constant padding, PyTorch's {@code F.pad(x, pad, value=value)}.
     *
     * @param pad {@code (before, after)} pairs from the last dim backwards, e.g. {@code {1, 1, 2, 0}}
     *            pads the last dim by 1 on each side and the one before by 2 at its start; negative crops
     * @return the padded tensor
     */
    public Tensor pad(int[] pad, double value) {
        return PadRules.pad(this, Objects.requireNonNull(pad, "pad"), value);
    }

    /** @return the tensors joined along an existing {@code dim}; all other dims must match */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        return ShapeRules.cat(tensors, dim);
    }

    /** @return the tensors (all of one shape) stacked along a new {@code dim} */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        return ShapeRules.stack(tensors, dim);
    }

    /** @return the entries at the 1-D I64 {@code index} along {@code dim} (embedding lookup) */
    public Tensor indexSelect(int dim, Tensor index) {
        return IndexRules.indexSelect(this, dim, index);
    }

    /** @return {@code torch.gather}: {@code out[i][j] = this[i][index[i][j]]} for {@code dim = 1} */
    public Tensor gather(int dim, Tensor index) {
        return IndexRules.gather(this, dim, index);
    }

    /** @return a copy of this with {@code src} added at {@code index} along {@code dim} ({@code torch.scatter_add}) */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return IndexRules.scatterAdd(this, dim, index, src);
    }

    // ---------------------------------------------------------------- devices and dtypes

    /** @return this tensor on {@code device} (this itself if already there); differentiable */
    public Tensor to(String device) {
        return ShapeRules.toDevice(this, Device.of(Objects.requireNonNull(device, "device")));
    }

    /** @return this tensor converted to {@code dtype} (this itself if already so); differentiable between floats */
    public Tensor to(DType dtype) {
        return ShapeRules.toDType(this, Objects.requireNonNull(dtype, "dtype"));
    }

    // ---------------------------------------------------------------- autograd

    /**
     * Marks this leaf as requiring (or not) a gradient.
     *
     * @return this
     * @throws IllegalArgumentException for a non-float dtype
     * @throws IllegalStateException    for a non-leaf (its requirement follows from its inputs)
     */
    public Tensor requiresGrad(boolean requires) {
        if (gradFn != null) {
            throw new IllegalStateException("requiresGrad: can only be set on a leaf; this tensor (shape "
                    + Checks.str(shape) + ") was computed by " + gradFn.name() + ". Use detach() first");
        }
        if (requires) {
            Checks.floating("requiresGrad", this);
        }
        requiresGrad = requires;
        return this;
    }

    /** @return whether gradients flow to this tensor (a leaf marked so, or the result of such) */
    public boolean requiresGrad() {
        return requiresGrad || gradFn != null;
    }

    /** @return whether this tensor was not computed by a recorded op */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** @return the node that computed this tensor, or null for a leaf */
    public Node gradFn() {
        return gradFn;
    }

    /**
     * The node that receives this tensor's gradient in backward: its {@link #gradFn()}, or for a leaf
     * requiring grad its gradient accumulator (created once); null if it needs no gradient. Engine
     * bookkeeping, so not public: the engine reaches it through {@code Internals.bridge()}.
     */
    Node gradEdge() {
        if (gradFn != null) {
            return gradFn;
        }
        if (!requiresGrad) {
            return null;
        }
        // Unsynchronised on purpose (this runs for every recorded op on a leaf): two threads racing here
        // may build two accumulators, which is harmless, as each writes .grad() under the leaf's lock.
        if (accumulator == null) {
            accumulator = Internals.nodes().leaf(this);
        }
        return accumulator;
    }

    /** @return the accumulated gradient, or null before any backward reached this leaf */
    public Tensor grad() {
        return grad;
    }

    /** Clears the accumulated gradient (PyTorch's {@code set_to_none} behaviour). */
    public void zeroGrad() {
        grad = null;
    }

    /**
     * Adds a hook called with the gradient of this tensor during backward; it may return a
     * replacement gradient (or its argument, or null to keep it). A replacement of another shape,
     * dtype or device makes that backward throw an {@link IllegalArgumentException} naming the
     * tensor, the gradient given and the one returned (PyTorch: "hook has changed the size of value").
     *
     * @return this
     */
    public Tensor registerHook(UnaryOperator<Tensor> hook) {
        Node edge = gradEdge();
        if (edge == null) {
            throw new IllegalStateException("registerHook: the tensor (shape " + Checks.str(shape)
                    + ") does not require grad, so no gradient will reach a hook");
        }
        edge.addHook(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    /** @return a tensor sharing this one's memory but outside the graph */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset, dtype);
    }

    /** Back-propagates from this scalar (seed 1), freeing the graph afterwards. */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalArgumentException("backward: without gradOutput the output must be a scalar, but it"
                    + " has shape " + Checks.str(shape) + "; call backward(gradOutput) with a tensor of that shape");
        }
        Autograd.backward(this, onesLike(), false, false);
    }

    /** @return a tensor of ones with this tensor's shape, dtype and device ({@code torch.ones_like}) */
    public Tensor onesLike() {
        return Ops.full(device(), dtype, shape, 1);
    }

    /** Back-propagates {@code gradOutput} (shaped like this), freeing the graph afterwards. */
    public void backward(Tensor gradOutput) {
        backward(gradOutput, false);
    }

    /** Back-propagates {@code gradOutput}; with {@code retainGraph} the graph can be walked again. */
    public void backward(Tensor gradOutput, boolean retainGraph) {
        Autograd.backward(this, Objects.requireNonNull(gradOutput, "gradOutput"), retainGraph, false);
    }

    /** The accumulator node's write (it synchronises on this leaf). */
    void setGrad(Tensor g) {
        MemoryScope.persist(g);   // a gradient belongs to its leaf, not to the scope of the step that made it
        grad = g;
    }

    // ---------------------------------------------------------------- in-place updates

    /** {@code this += other} (broadcast to this shape), for optimizers. @return this */
    public Tensor addInPlace(Tensor other) {
        return InPlace.binary("addInPlace", this, other, BinaryOp.ADD);
    }

    /** {@code this += alpha * other}, the SGD step. @return this */
    public Tensor addInPlace(Tensor other, double alpha) {
        return InPlace.axpy(this, other, alpha);
    }

    /** {@code this -= other} (broadcast to this shape). @return this */
    public Tensor subInPlace(Tensor other) {
        return InPlace.binary("subInPlace", this, other, BinaryOp.SUB);
    }

    /** {@code this *= other} (broadcast to this shape). @return this */
    public Tensor mulInPlace(Tensor other) {
        return InPlace.binary("mulInPlace", this, other, BinaryOp.MUL);
    }

    /** {@code this *= value}. @return this */
    public Tensor mulInPlace(double value) {
        return InPlace.scalar("mulInPlace", this, UnaryOp.MUL_SCALAR, value);
    }

    /** {@code this = max(this, 0)}, PyTorch's {@code relu_} (NaN stays NaN). @return this */
    public Tensor reluInPlace() {
        return InPlace.scalar("reluInPlace", this, UnaryOp.RELU, 0);
    }

    /** Sets every element to {@code value}. @return this */
    public Tensor fillInPlace(double value) {
        return InPlace.fill(this, value);
    }

    /** Copies {@code src} (broadcast to this shape) into this tensor. @return this */
    public Tensor copyInPlace(Tensor src) {
        return InPlace.copy(this, src);
    }

    // ---------------------------------------------------------------- package internals

    View desc() {
        View v = desc;
        if (v == null || storage.isReleased()) {
            v = new View(storage.buffer(), offset, shape, strides);
            desc = v;
        }
        return v;
    }

    Backend backend() {
        return storage.device.backend();
    }

    /** @return a tensor sharing this storage with another layout (no graph) */
    Tensor alias(int[] newShape, int[] newStrides, int newOffset) {
        return new Tensor(storage, newShape, newStrides, newOffset, dtype);
    }

    void bumpVersion() {
        storage.version++;
    }
}
