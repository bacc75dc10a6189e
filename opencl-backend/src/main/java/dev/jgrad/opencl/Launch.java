package dev.jgrad.opencl;

import dev.jgrad.DType;
import java.util.Arrays;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;

/** Sets one kernel's arguments in order and enqueues it; a fluent helper around clSetKernelArg. */
final class Launch {
    private final cl_command_queue queue;
    private final cl_kernel kernel;
    private final DType dtype;
    private final long group;
    private int index;

    Launch(cl_command_queue queue, cl_kernel kernel, DType dtype, long group) {
        this.queue = queue;
        this.kernel = kernel;
        this.dtype = dtype;
        this.group = group;
    }

    /** A buffer argument alone (for a second pointer sharing the next offset argument). */
    Launch mem(ClBuffer b) {
        CL.clSetKernelArg(kernel, index++, Sizeof.cl_mem, Pointer.to(b.mem));
        return this;
    }

    /** A buffer and the element offset of a view into it (the buffer's place in its slab included). */
    Launch buf(ClBuffer b, int offset) {
        CL.clSetKernelArg(kernel, index++, Sizeof.cl_mem, Pointer.to(b.mem));
        return i32(b.base + offset);
    }

    Launch i32(int v) {
        CL.clSetKernelArg(kernel, index++, Sizeof.cl_int, Pointer.to(new int[] {v}));
        return this;
    }

    Launch i64(long v) {
        CL.clSetKernelArg(kernel, index++, Sizeof.cl_long, Pointer.to(new long[] {v}));
        return this;
    }

    /** A scalar of the kernel's element type. */
    Launch real(double v) {
        if (dtype == DType.F64) {
            CL.clSetKernelArg(kernel, index++, Sizeof.cl_double, Pointer.to(new double[] {v}));
        } else {
            CL.clSetKernelArg(kernel, index++, Sizeof.cl_float, Pointer.to(new float[] {(float) v}));
        }
        return this;
    }

    /** An {@code int8} vector argument (shapes and strides of rank up to 8, zero-padded). */
    Launch int8(int[] v) {
        CL.clSetKernelArg(kernel, index++, Sizeof.cl_int * 8L, Pointer.to(Arrays.copyOf(v, 8)));
        return this;
    }

    /** Local memory of {@code bytes}. */
    Launch local(long bytes) {
        CL.clSetKernelArg(kernel, index++, bytes, null);
        return this;
    }

    /**
     * Enqueues {@code n} work-items (nothing for n = 0) in work-groups of the kernel's fixed size,
     * the global size rounded up to a whole group: every kernel guards its tail ({@code if (i >= n)
     * return;}). A runtime-chosen local size would differ with n, and PoCL compiles a kernel anew for
     * each local size (25-40 ms per new tensor size).
     */
    void run(long n) {
        if (n > 0) {
            long global = (n + group - 1) / group * group;
            CL.clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {global}, new long[] {group}, 0, null, null);
        }
    }

    /** Enqueues a 1-D range with an explicit local size ({@code global} a multiple of it). */
    void run(long global, long local) {
        CL.clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {global}, new long[] {local}, 0, null, null);
    }

    /** Enqueues a 2-D range with an explicit local size; global sizes are rounded up to multiples of it. */
    void run2(long gx, long gy, long lx, long ly) {
        long[] global = {(gx + lx - 1) / lx * lx, (gy + ly - 1) / ly * ly};
        if (gx > 0 && gy > 0) {
            CL.clEnqueueNDRangeKernel(queue, kernel, 2, null, global, new long[] {lx, ly}, 0, null, null);
        }
    }
}
