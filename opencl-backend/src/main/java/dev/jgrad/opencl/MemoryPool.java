package dev.jgrad.opencl;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * A caching allocator with size classes, so a training loop reuses device buffers instead of
 * calling {@code clCreateBuffer} for every op. Sizes round up to a power of two below 1 MiB and to
 * whole MiB above, bounding the waste.
 *
 * <p>Buffers come back by {@link ClBuffer#close()} or, when their tensor is garbage, through a
 * phantom reference that this pool drains itself on every allocation (no finalizer, no cleaner
 * thread to wait for). The Java heap does not feel device memory, so the garbage collector may not
 * run while dead tensors pin gigabytes on the device: when the cache cannot serve a request and
 * {@link #gcBudget} bytes have been handed out since the last collection, the pool asks for one, and on an allocation failure it collects, empties
 * the cache and retries once before a clear error.
 */
final class MemoryPool {
    private static final long MIB = 1 << 20;
    private final cl_context context;
    private final String device;
    private final long gcBudget;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private final ReferenceQueue<ClBuffer> dead = new ReferenceQueue<>();
    private final Set<Tracked> live = ConcurrentHashMap.newKeySet();
    private long allocated;
    private long cached;
    private long peak;
    private long acquiredSinceGc;

    /** The device memory of one buffer, returned exactly once. */
    final class Tracked extends PhantomReference<ClBuffer> {
        final cl_mem mem;
        final long sizeClass;

        Tracked(ClBuffer owner, cl_mem mem, long sizeClass) {
            super(owner, dead);
            this.mem = mem;
            this.sizeClass = sizeClass;
        }

        /** Returns the memory to the pool unless that already happened. */
        void release() {
            if (live.remove(this)) {
                clear();
                giveBack(mem, sizeClass);
            }
        }
    }

    MemoryPool(cl_context context, String device, long deviceMemory) {
        this.context = context;
        this.device = device;
        this.gcBudget = Math.max(64 * MIB, Math.min(512 * MIB, deviceMemory / 8));
    }

    /** @return the size class holding {@code bytes} */
    static long sizeClass(long bytes) {
        long b = Math.max(bytes, 64);
        if (b >= MIB) {
            return (b + MIB - 1) / MIB * MIB;
        }
        return Long.highestOneBit(b - 1) << 1;
    }

    /** @return device memory for {@code owner}, tracked so it returns here when the owner dies */
    Tracked acquire(ClBuffer owner, long sizeClass) {
        drain();
        cl_mem mem = take(sizeClass);
        if (mem == null && acquiredSinceGc >= gcBudget) {
            collect();
            mem = take(sizeClass);
        }
        acquiredSinceGc += sizeClass;
        if (mem == null) {
            mem = create(sizeClass);
        }
        synchronized (this) {
            allocated += sizeClass;
            peak = Math.max(peak, allocated);
        }
        Tracked t = new Tracked(owner, mem, sizeClass);
        live.add(t);
        return t;
    }

    private synchronized cl_mem take(long sizeClass) {
        ArrayDeque<cl_mem> q = free.get(sizeClass);
        cl_mem mem = q == null ? null : q.poll();
        if (mem != null) {
            cached -= sizeClass;
        }
        return mem;
    }

    /** Returns the buffers of every tensor the collector has found dead so far. */
    void drain() {
        for (Reference<? extends ClBuffer> r = dead.poll(); r != null; r = dead.poll()) {
            ((Tracked) r).release();
        }
    }

    /** Runs a collection and waits briefly for the dead buffers it finds to be queued. */
    private void collect() {
        acquiredSinceGc = 0;
        System.gc();
        try {
            for (Reference<? extends ClBuffer> r = dead.remove(20); r != null; r = dead.remove(5)) {
                ((Tracked) r).release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private cl_mem create(long bytes) {
        try {
            return CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes, null, null);
        } catch (CLException e) {
            if (!outOfMemory(e)) {
                throw e;
            }
            collect();
            emptyCache();
            try {
                return CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes, null, null);
            } catch (CLException again) {
                throw new IllegalStateException("opencl: out of device memory allocating " + bytes + " bytes on "
                        + device + " (" + allocated + " bytes in use after freeing the cache): " + again.getMessage(),
                        again);
            }
        }
    }

    static boolean outOfMemory(CLException e) {
        int s = e.getStatus();
        return s == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || s == CL.CL_OUT_OF_RESOURCES || s == CL.CL_OUT_OF_HOST_MEMORY;
    }

    private synchronized void giveBack(cl_mem mem, long sizeClass) {
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

    MemoryStats stats() {
        drain();
        synchronized (this) {
            return new MemoryStats(allocated, cached, peak);
        }
    }
}
