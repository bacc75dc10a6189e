package dev.jgrad.opencl;

import dev.jgrad.DType;
import dev.jgrad.backend.Backend;
import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.Buffer;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.UpdateStep;
import dev.jgrad.backend.View;
import dev.jgrad.backend.Window;
import java.util.Arrays;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;

/**
 * One OpenCL device: a context, one in-order queue, the caching allocator and the built kernels.
 * Ops enqueue and return; reads block. Layouts the kernels do not cover (rank above 8, I64
 * arithmetic) run on the host through the reference backend, which is rare and reported in the
 * method docs. Matmul, reductions and the fused ops live in {@link ClMath}; value checks (indices,
 * labels) run on the device and report at the next blocking read ({@link DeviceChecks}).
 */
public final class OpenClBackend implements Backend {
    /** Kernel names of the per-op contiguous kernels, built once instead of per launch. */
    private static final String[] UNARY_KERNELS = Arrays.stream(UnaryOp.values())
            .map(u -> "unary_" + u.name()).toArray(String[]::new);
    private static final String[] BINARY_KERNELS = Arrays.stream(BinaryOp.values())
            .map(b -> "binary_" + b.name()).toArray(String[]::new);
    private final String name;
    final ClDevice device;
    final cl_command_queue queue;
    final Programs programs;
    private final MemoryPool pool;
    private final ClMath math;
    private final ClNorm norm;
    private final ClUpdates updates;

    private final DeviceChecks checks;
    private long blockingReads;

    OpenClBackend(String name, ClDevice device) {
        this.name = name;
        this.device = device;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, device.platform());
        cl_context context = CL.clCreateContext(props, 1, new cl_device_id[] {device.device()}, null, null, null);
        @SuppressWarnings("deprecation")
        cl_command_queue q = CL.clCreateCommandQueue(context, device.device(), 0, null);
        this.queue = q;
        this.pool = new MemoryPool(context, name, device.memory());
        this.programs = new Programs(context, device);
        this.math = new ClMath(this);
        this.norm = new ClNorm(this);
        this.updates = new ClUpdates(this);

        this.checks = new DeviceChecks(this);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * @return the GEMM kernel family that matmul and convolution (im2col around the GEMM) use:
     *     {@code gpu} on a GPU, {@code cpu} otherwise, unless {@code jgrad.opencl.gemm} forces one
     */
    String gemmVariant() {
        return math.gemmVariant();
    }

    /** @return the device's memory as the allocator sees it */
    public MemoryStats memoryStats() {
        return pool.stats();
    }

    /**
     * Restarts {@link MemoryStats#peak()} from the bytes in use now, to measure the peak of one
     * phase (PyTorch's {@code torch.cuda.reset_peak_memory_stats}).
     */
    public void resetPeakMemoryStats() {
        pool.resetPeak();
    }

    /**
     * Frees every cached (unused) device buffer: large ones, and each shared slab of small ones
     * none of whose slices a live tensor holds.
     */
    public void emptyCache() {
        pool.emptyCache();
    }

    /**
     * Bounds the bytes of freed buffers kept for reuse (default: a sixteenth of the device's memory,
     * at least 16 MiB); the excess is freed now and whenever it recurs. 0 keeps nothing.
     *
     * @param bytes the limit, {@code >= 0}
     */
    public void setCacheLimit(long bytes) {
        pool.setCacheLimit(bytes);
    }

    /** @return the most bytes of freed buffers kept for reuse ({@link #setCacheLimit}) */
    public long cacheLimit() {
        return pool.cacheLimit();
    }

    /** @return the device description, e.g. {@code cpu-... (CPU, Portable Computing Language)} */
    public String description() {
        return device.describe();
    }

    /**
     * Blocks until every enqueued op has finished.
     *
     * @throws IllegalArgumentException from a device-side check (an index or label out of range)
     *         that failed since the last synchronising point
     */
    public synchronized void finish() {
        CL.clFinish(queue);
        checks.raise();
    }

    /**
     * @return how many blocking reads (device to host copies the caller waits for) this device has
     *         done: each {@code item()}, {@code toFloatArray()} and host fallback counts; the
     *         verdicts of device-side checks do not (they are read without blocking)
     */
    public synchronized long blockingReads() {
        return blockingReads;
    }

    /**
     * Enqueues the check on the device (no read): a failure is thrown at the next blocking read or
     * {@link #finish()}, as a device-side assertion. Rank above 8 checks on the host at once.
     */
    @Override
    public synchronized void checkRange(View values, double lo, double hi, RangeFailure failure) {
        if (values.numel() == 0) {
            return;
        }
        if (values.rank() > 8) {
            Backend.super.checkRange(values, lo, hi, failure);
        } else {
            checks.enqueue(values, lo, hi, failure);
        }
    }

    ClBuffer buffer(DType dtype, int length) {
        return new ClBuffer(this, pool, dtype, length);
    }

    Launch launch(DType dtype, String kernel) {
        cl_kernel k = programs.kernel(dtype == DType.I64 ? DType.F32 : dtype, kernel);
        return new Launch(queue, k, dtype, programs.groupSize(k));
    }

    /** Returns the buffer's memory to the pool now: the queue is in order, so work already queued on it finishes first. */
    @Override
    public void release(Buffer buffer) {
        ((ClBuffer) buffer).close();
    }

    /** @return true: the pool reuses released memory at once, long before a collection would find it */
    @Override
    public boolean releasesEagerly() {
        return true;
    }

    @Override
    public synchronized Buffer allocate(DType dtype, int length) {
        ClBuffer b = buffer(dtype, length);
        if (length > 0) {
            long bytes = (long) length * dtype.byteSize();
            Pointer zero = dtype == DType.F32 ? Pointer.to(new float[1]) : Pointer.to(new long[1]);
            CL.clEnqueueFillBuffer(queue, b.mem, zero, dtype.byteSize(), (long) b.base * dtype.byteSize(), bytes, 0,
                    null, null);
        }
        return b;
    }

    @Override
    public synchronized Buffer allocateUninitialized(DType dtype, int length) {
        return buffer(dtype, length);
    }

    @Override
    public synchronized Buffer upload(float[] data) {
        ClBuffer b = buffer(DType.F32, data.length);
        write(b, Pointer.to(data), 4L * data.length);
        return b;
    }

    @Override
    public synchronized Buffer upload(double[] data) {
        ClBuffer b = buffer(DType.F64, data.length);
        write(b, Pointer.to(data), 8L * data.length);
        return b;
    }

    @Override
    public synchronized Buffer upload(long[] data) {
        ClBuffer b = buffer(DType.I64, data.length);
        write(b, Pointer.to(data), 8L * data.length);
        return b;
    }

    void write(ClBuffer b, Pointer host, long bytes) {
        if (bytes > 0) {
            long at = (long) b.base * b.dtype().byteSize();
            CL.clEnqueueWriteBuffer(queue, b.mem, CL.CL_TRUE, at, bytes, host, 0, null, null);
        }
    }

    @Override
    public synchronized void read(Buffer src, int offset, float[] dst) {
        read(src, 4L * offset, Pointer.to(dst), 4L * dst.length);
    }

    @Override
    public synchronized void read(Buffer src, int offset, double[] dst) {
        read(src, 8L * offset, Pointer.to(dst), 8L * dst.length);
    }

    @Override
    public synchronized void read(Buffer src, int offset, long[] dst) {
        read(src, 8L * offset, Pointer.to(dst), 8L * dst.length);
    }

    private void read(Buffer src, long offsetBytes, Pointer dst, long bytes) {
        if (bytes > 0) {
            ClBuffer b = (ClBuffer) src;
            long at = offsetBytes + (long) b.base * b.dtype().byteSize();
            CL.clEnqueueReadBuffer(queue, b.mem, CL.CL_TRUE, at, bytes, dst, 0, null, null);
            blockingReads++;
        }
        // The read synchronised the in-order queue: every earlier check's verdict has landed.
        checks.raise();
    }

    @Override
    public synchronized void fill(View out, double value) {
        DType t = out.buffer().dtype();
        if (out.rank() > 8) {
            HostFallback.run(this, (ref, v) -> ref.fill(v[0], value), out);
            return;
        }
        Launch l = launch(t, t == DType.I64 ? "fill_long_strided" : "fill_strided");
        if (t == DType.I64) {
            l.i64((long) value);
        } else {
            l.real(value);
        }
        l.buf(cl(out), out.offset()).i32(out.numel()).i32(out.rank()).int8(out.shape()).int8(out.strides())
                .run(out.numel());
    }

    /**
     * Elementwise unary ops. I64 supports {@link UnaryOp#IDENTITY} (a strided copy) on the device;
     * rank above 8 runs on the host.
     */
    @Override
    public synchronized void unary(UnaryOp op, double arg, View in, View out) {
        DType t = in.buffer().dtype();
        if (out.rank() > 8 || (t == DType.I64 && op != UnaryOp.IDENTITY)) {
            HostFallback.run(this, (ref, v) -> ref.unary(op, arg, v[0], v[1]), in, out);
        } else if (t == DType.I64) {
            launch(t, "copy_long_strided").buf(cl(in), in.offset()).buf(cl(out), out.offset())
                    .i32(out.numel()).i32(out.rank()).int8(out.shape()).int8(in.strides()).int8(out.strides())
                    .run(out.numel());
        } else if (in.isContiguous() && out.isContiguous()) {
            launch(t, UNARY_KERNELS[op.ordinal()]).real(arg).buf(cl(in), in.offset())
                    .buf(cl(out), out.offset()).i32(out.numel()).run(out.numel());
        } else {
            launch(t, "unary_strided").i32(op.ordinal()).real(arg).buf(cl(in), in.offset())
                    .buf(cl(out), out.offset()).i32(out.numel()).i32(out.rank()).int8(out.shape()).int8(in.strides())
                    .int8(out.strides()).run(out.numel());
        }
    }

    /** Elementwise binary ops; I64 operands (label comparisons) run on the host. */
    @Override
    public synchronized void binary(BinaryOp op, View a, View b, View out) {
        DType t = a.buffer().dtype();
        if (out.rank() > 8 || t == DType.I64) {
            HostFallback.run(this, (ref, v) -> ref.binary(op, v[0], v[1], v[2]), a, b, out);
        } else if (a.isContiguous() && b.isContiguous() && out.isContiguous()) {
            launch(t, BINARY_KERNELS[op.ordinal()]).buf(cl(a), a.offset()).buf(cl(b), b.offset()).buf(cl(out), out.offset()).i32(out.numel())
                    .run(out.numel());
        } else {
            launch(t, "binary_strided").i32(op.ordinal()).buf(cl(a), a.offset()).buf(cl(b), b.offset())
                    .buf(cl(out), out.offset()).i32(out.numel()).i32(out.rank()).int8(out.shape())
                    .int8(a.strides()).int8(b.strides()).int8(out.strides()).run(out.numel());
        }
    }

    /**
     * Selection. Float operands take a condition of their own dtype on the device; I64 operands take
     * any condition on the device; the other mixes run on the host.
     */
    @Override
    public synchronized void where(View cond, View a, View b, View out) {
        DType t = a.buffer().dtype(), c = cond.buffer().dtype();
        String kernel = t != DType.I64 ? (c == t ? "where_strided" : null)
                : c == DType.I64 ? "where_long_cond_long_strided" : "where_long_strided";
        if (out.rank() > 8 || kernel == null) {
            HostFallback.run(this, (ref, v) -> ref.where(v[0], v[1], v[2], v[3]), cond, a, b, out);
            return;
        }
        launch(t == DType.I64 ? c : t, kernel).buf(cl(cond), cond.offset()).buf(cl(a), a.offset())
                .buf(cl(b), b.offset()).buf(cl(out), out.offset()).i32(out.numel()).i32(out.rank()).int8(out.shape())
                .int8(cond.strides()).int8(a.strides()).int8(b.strides()).int8(out.strides()).run(out.numel());
    }

    @Override
    public synchronized void reduce(ReduceOp op, View in, int[] axes, View out) {
        math.reduce(op, in, axes, out);
    }

    @Override
    public synchronized void matmul(View a, View b, View out) {
        math.matmul(a, b, out);
    }

    @Override
    public synchronized void gather(View in, int dim, View index, View out) {
        math.gather(in, dim, index, out);
    }

    @Override
    public synchronized void scatterAdd(View src, int dim, View index, View out) {
        math.scatterAdd(src, dim, index, out);
    }

    @Override
    public synchronized void softmax(View in, boolean log, View out) {
        if (!math.softmax(in, log, out)) {
            Backend.super.softmax(in, log, out);
        }
    }

    @Override
    public synchronized void crossEntropyBackward(View logProbs, View labels, View gradOut, double scale, View out) {
        if (!math.crossEntropyBackward(logProbs, labels, gradOut, scale, out)) {
            Backend.super.crossEntropyBackward(logProbs, labels, gradOut, scale, out);
        }
    }

    @Override
    public synchronized void channelMoments(View x, View mean, View var) {
        if (!norm.moments(x, mean, var)) {
            Backend.super.channelMoments(x, mean, var);
        }
    }

    @Override
    public synchronized void channelAffine(View a, View sa, View x, View sx, View shift, View out) {
        if (!norm.affine(a, sa, x, sx, shift, out)) {
            Backend.super.channelAffine(a, sa, x, sx, shift, out);
        }
    }

    @Override
    public synchronized void channelSums(View g, View x, View center, View sums, View dots) {
        if (!norm.sums(g, x, center, sums, dots)) {
            Backend.super.channelSums(g, x, center, sums, dots);
        }
    }

    @Override
    public synchronized void layerNorm(View x, View weight, View bias, double eps, View out, View mean, View rstd) {
        if (!norm.layerNorm(x, weight, bias, eps, out, mean, rstd)) {
            Backend.super.layerNorm(x, weight, bias, eps, out, mean, rstd);
        }
    }

    @Override
    public synchronized void layerNormBackward(View g, View x, View mean, View rstd, View weight, View dx,
                                               View dweight, View dbias) {
        if (!norm.layerNormBackward(g, x, mean, rstd, weight, dx, dweight, dbias)) {
            Backend.super.layerNormBackward(g, x, mean, rstd, weight, dx, dweight, dbias);
        }
    }

    @Override
    public synchronized void axpy(double alpha, View x, View y) {
        if (x.isContiguous() && y.isContiguous() && x.buffer().dtype() != DType.I64) {
            launch(x.buffer().dtype(), "axpy_contig").real(alpha).buf(cl(x), x.offset())
                    .buf(cl(y), y.offset()).i32(y.numel()).run(y.numel());
        } else {
            Backend.super.axpy(alpha, x, y);
        }
    }

    /** The fused optimizer kernels ({@code optim.cl}), one launch per parameter; strided rows run composed. */
    @Override
    public synchronized void update(UpdateStep step, View[][] rows) {
        for (View[] row : rows) {
            if (row[0].numel() > 0 && !updates.run(step, row)) {
                Backend.super.update(step, new View[][] {row});
            }
        }
    }

    /** im2col, one work-item per column entry; I64 runs on the host. */
    @Override
    public synchronized void unfold(View x, Window window, View out) {
        DType t = x.buffer().dtype();
        if (t == DType.I64) {
            HostFallback.run(this, (ref, v) -> ref.unfold(v[0], window, v[1]), x, out);
            return;
        }
        launch(t, "unfold_k").buf(cl(x), x.offset()).int8(x.strides()).i32(x.shape()[2]).i32(x.shape()[3])
                .buf(cl(out), out.offset()).int8(out.strides()).int8(out.shape()).int8(window.toArray())
                .i32(out.numel()).run(out.numel());
    }

    /** col2im, one work-item per output element gathering its window entries; I64 runs on the host. */
    @Override
    public synchronized void fold(View cols, Window window, View out) {
        DType t = cols.buffer().dtype();
        if (t == DType.I64) {
            HostFallback.run(this, (ref, v) -> ref.fold(v[0], window, v[1]), cols, out);
            return;
        }
        int[] s = out.shape();
        launch(t, "fold_k").buf(cl(cols), cols.offset()).int8(cols.strides()).int8(cols.shape())
                .int8(window.toArray()).buf(cl(out), out.offset()).int8(out.strides()).i32(s[1]).i32(s[2]).i32(s[3])
                .i32(out.numel()).run(out.numel());
    }

    /** Max or average pooling, one work-item per output cell. */
    @Override
    public synchronized void pool2d(boolean max, View x, Window window, View out, View argmax) {
        DType t = x.buffer().dtype();
        View am = max ? argmax : out;
        launch(t, "pool2d_k").i32(max ? 1 : 0).buf(cl(x), x.offset()).int8(x.strides()).i32(x.shape()[2])
                .i32(x.shape()[3]).buf(cl(out), out.offset()).int8(out.strides()).buf(cl(am), am.offset())
                .int8(am.strides()).int8(out.shape()).int8(window.toArray()).i32(out.numel()).run(out.numel());
    }

    static ClBuffer cl(View v) {
        return (ClBuffer) v.buffer();
    }

    @Override
    public String toString() {
        return name + " (" + device.describe() + ")";
    }
}
