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
    /** Classes up to this size are carved from shared slabs instead of getting a buffer each. */
    static final long SMALL = 64 << 10;
    private static final long SLAB = MIB;
    private final Map<Long, ArrayDeque<Chunk>> free = new HashMap<>();
    private final Map<Long, Chunk> slabCursor = new HashMap<>();
    private final ReferenceQueue<ClBuffer> dead = new ReferenceQueue<>();
    private final Set<Tracked> live = ConcurrentHashMap.newKeySet();
    private long allocated;
    private long cached;
    private long peak;
    private long acquiredSinceGc;

    /** A piece of device memory: a whole buffer, or a slice of a slab for small classes. */
    private record Chunk(cl_mem mem, long byteOffset) {
    }

    /** The device memory of one buffer, returned exactly once. */
    final class Tracked extends PhantomReference<ClBuffer> {
        final cl_mem mem;
        final long byteOffset;
        final long sizeClass;

        Tracked(ClBuffer owner, Chunk chunk, long sizeClass) {
            super(owner, dead);
            this.mem = chunk.mem();
            this.byteOffset = chunk.byteOffset();
            this.sizeClass = sizeClass;
        }

        /** Returns the memory to the pool unless that already happened. */
        void release() {
            if (live.remove(this)) {
                clear();
                giveBack(new Chunk(mem, byteOffset), sizeClass);
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
        Chunk mem = take(sizeClass);
        if (mem == null && acquiredSinceGc >= gcBudget) {
            collect();
            mem = take(sizeClass);
        }
        acquiredSinceGc += sizeClass;
        if (mem == null) {
            mem = sizeClass <= SMALL ? carve(sizeClass) : new Chunk(create(sizeClass), 0);
        }
        synchronized (this) {
            allocated += sizeClass;
            peak = Math.max(peak, allocated);
        }
        Tracked t = new Tracked(owner, mem, sizeClass);
        live.add(t);
        return t;
    }

    private synchronized Chunk take(long sizeClass) {
        ArrayDeque<Chunk> q = free.get(sizeClass);
        Chunk mem = q == null ? null : q.poll();
        if (mem != null) {
            cached -= sizeClass;
        }
        return mem;
    }

    /**
     * A fresh slice for a small class, from that class's current slab. New small buffers thus
     * reuse device memory the driver has already set up: creating a buffer per tiny tensor costs
     * the driver more than the op itself.
     */
    private synchronized Chunk carve(long sizeClass) {
        Chunk cursor = slabCursor.get(sizeClass);
        if (cursor == null || cursor.byteOffset() + sizeClass > SLAB) {
            cursor = new Chunk(create(SLAB), 0);
        }
        slabCursor.put(sizeClass, new Chunk(cursor.mem(), cursor.byteOffset() + sizeClass));
        return cursor;
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

    private synchronized void giveBack(Chunk chunk, long sizeClass) {
        allocated -= sizeClass;
        cached += sizeClass;
        free.computeIfAbsent(sizeClass, k -> new ArrayDeque<>()).push(chunk);
    }

    /**
     * Frees every cached buffer of the large classes. Small classes live in shared slabs, which
     * stay while any slice of them may be in use; their cached slices remain for reuse.
     */
    synchronized void emptyCache() {
        for (Map.Entry<Long, ArrayDeque<Chunk>> e : free.entrySet()) {
            if (e.getKey() > SMALL) {
                for (Chunk c : e.getValue()) {
                    CL.clReleaseMemObject(c.mem());
                }
                cached -= e.getKey() * e.getValue().size();
                e.getValue().clear();
            }
        }
    }

    MemoryStats stats() {
        drain();
        synchronized (this) {
            return new MemoryStats(allocated, cached, peak);
        }
    }
}
