package dev.jgrad.opencl;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * A caching allocator with size classes, so a training loop reuses device buffers instead of
 * calling {@code clCreateBuffer} for every op. Sizes round up to a power of two below 1 MiB and to
 * whole MiB above, bounding the waste. On an allocation failure the cache is emptied and the
 * allocation retried once before a clear error.
 */
final class MemoryPool {
    private static final long MIB = 1 << 20;
    private final cl_context context;
    private final String device;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private long allocated;
    private long cached;
    private long peak;

    MemoryPool(cl_context context, String device) {
        this.context = context;
        this.device = device;
    }

    /** @return the size class holding {@code bytes} */
    static long sizeClass(long bytes) {
        long b = Math.max(bytes, 64);
        if (b >= MIB) {
            return (b + MIB - 1) / MIB * MIB;
        }
        return Long.highestOneBit(b - 1) << 1;
    }

    /** @return a buffer of at least {@code sizeClass} bytes, from the cache when possible */
    synchronized cl_mem acquire(long sizeClass) {
        ArrayDeque<cl_mem> q = free.get(sizeClass);
        cl_mem mem = q == null ? null : q.poll();
        if (mem != null) {
            cached -= sizeClass;
        } else {
            mem = create(sizeClass);
        }
        allocated += sizeClass;
        peak = Math.max(peak, allocated);
        return mem;
    }

    private cl_mem create(long bytes) {
        try {
            return CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes, null, null);
        } catch (CLException e) {
            if (!outOfMemory(e)) {
                throw e;
            }
            emptyCache();
            try {
                return CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes, null, null);
            } catch (CLException again) {
                throw new IllegalStateException("opencl: out of device memory allocating " + bytes + " bytes on "
                        + device + " (" + allocated + " bytes in use, cache emptied): " + again.getMessage(), again);
            }
        }
    }

    static boolean outOfMemory(CLException e) {
        int s = e.getStatus();
        return s == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || s == CL.CL_OUT_OF_RESOURCES || s == CL.CL_OUT_OF_HOST_MEMORY;
    }

    /** Returns a buffer to the cache. */
    synchronized void release(cl_mem mem, long sizeClass) {
        allocated -= sizeClass;
        cached += sizeClass;
        free.computeIfAbsent(sizeClass, k -> new ArrayDeque<>()).push(mem);
    }

    /** Frees every cached buffer. */
    synchronized void emptyCache() {
        for (ArrayDeque<cl_mem> q : free.values()) {
            for (cl_mem m : q) {
                CL.clReleaseMemObject(m);
            }
        }
        free.clear();
        cached = 0;
    }

    synchronized MemoryStats stats() {
        return new MemoryStats(allocated, cached, peak);
    }
}
