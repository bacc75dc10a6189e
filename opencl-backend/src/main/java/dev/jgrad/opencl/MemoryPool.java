package dev.jgrad.opencl;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
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
 * whole MiB above, bounding the waste; classes up to {@link #SMALL} are slices of shared 1 MiB
 * slabs, each slab freed once none of its slices is in use.
 *
 * <p>Buffers come back by {@link ClBuffer#close()} or, when their tensor is garbage, through a
 * phantom reference that this pool drains itself on every allocation (no finalizer, no cleaner
 * thread to wait for). The Java heap does not feel device memory, so the garbage collector may not
 * run while dead tensors pin device memory: when the cache cannot serve a request and the bytes
 * handed out since the last collection reach the budget, the pool asks for one. The budget is twice
 * what was in use after the previous collection (at least {@link #MIN_BUDGET}), so the memory
 * held stays within a small multiple of the live working set plus the cache limit, without the
 * user calling {@code System.gc()}. The cache beyond its limit is trimmed (large buffers first,
 * then empty slabs). On an allocation failure the pool collects, empties the cache and retries
 * once before a clear error.
 */
final class MemoryPool {
    private static final long MIB = 1 << 20;
    private final cl_context context;
    private final String device;
    /** The floor of the collection budget: below it, collections would cost more than the memory. */
    static final long MIN_BUDGET = 16 * MIB;
    private final long maxBudget;
    private long gcBudget = MIN_BUDGET;
    private long cacheLimit;
    private long reserved;
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

    /** A piece of device memory: a whole buffer ({@code slab} null), or a slice of a slab for small classes. */
    private record Chunk(cl_mem mem, long byteOffset, Slab slab) {
    }

    /** One slab of a small class and how many of its slices are in use (guarded by the pool). */
    private static final class Slab {
        final cl_mem mem;
        int inUse;

        Slab(cl_mem mem) {
            this.mem = mem;
        }
    }

    /** The device memory of one buffer, returned exactly once. */
    final class Tracked extends PhantomReference<ClBuffer> {
        final cl_mem mem;
        final long byteOffset;
        final long sizeClass;

        private final Chunk chunk;

        Tracked(ClBuffer owner, Chunk chunk, long sizeClass) {
            super(owner, dead);
            this.chunk = chunk;
            this.mem = chunk.mem();
            this.byteOffset = chunk.byteOffset();
            this.sizeClass = sizeClass;
        }

        /** Returns the memory to the pool unless that already happened. */
        void release() {
            if (live.remove(this)) {
                clear();
                giveBack(chunk, sizeClass);
            }
        }
    }

    MemoryPool(cl_context context, String device, long deviceMemory) {
        this.context = context;
        this.device = device;
        this.maxBudget = Math.max(64 * MIB, Math.min(512 * MIB, deviceMemory / 8));
        this.cacheLimit = Math.max(MIN_BUDGET, deviceMemory / 16);
    }

    /** @return the most bytes the cache keeps */
    synchronized long cacheLimit() {
        return cacheLimit;
    }

    /** Sets the most bytes the cache keeps; the excess is freed now and whenever it recurs. */
    synchronized void setCacheLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("setCacheLimit: the limit must be >= 0 bytes, got " + bytes);
        }
        cacheLimit = bytes;
        trim();
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
            mem = sizeClass <= SMALL ? carve(sizeClass) : new Chunk(create(sizeClass), 0, null);
        }
        synchronized (this) {
            allocated += sizeClass;
            peak = Math.max(peak, allocated);
            if (cached > cacheLimit) {
                trim();
            }
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
            if (mem.slab() != null) {
                mem.slab().inUse++;   // under the lock: emptyCache must never see this slab unused
            }
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
            cl_mem m = create(SLAB);
            cursor = new Chunk(m, 0, new Slab(m));
        }
        cursor.slab().inUse++;
        slabCursor.put(sizeClass, new Chunk(cursor.mem(), cursor.byteOffset() + sizeClass, cursor.slab()));
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
        synchronized (this) {
            gcBudget = Math.max(MIN_BUDGET, Math.min(maxBudget, 2 * allocated));
        }
    }

    private cl_mem create(long bytes) {
        cl_mem m = createOrFail(bytes);
        synchronized (this) {
            reserved += bytes;
        }
        return m;
    }

    private cl_mem createOrFail(long bytes) {
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
        if (chunk.slab() != null) {
            chunk.slab().inUse--;
        }
        free.computeIfAbsent(sizeClass, k -> new ArrayDeque<>()).push(chunk);
    }

    /**
     * Frees every cached buffer: each large one, and each slab none of whose slices is in use. A slab
     * that still holds a live tensor's slice stays (with its cached slices) until that slice is freed.
     */
    synchronized void emptyCache() {
        for (Map.Entry<Long, ArrayDeque<Chunk>> e : free.entrySet()) {
            if (e.getKey() > SMALL) {
                releaseLarge(e.getKey(), e.getValue(), Long.MAX_VALUE);
            }
        }
        releaseEmptySlabs();
    }

    /** Frees cached memory until the cache is within its limit: large buffers first, then empty slabs. */
    private void trim() {
        for (Map.Entry<Long, ArrayDeque<Chunk>> e : free.entrySet()) {
            if (e.getKey() > SMALL && cached > cacheLimit) {
                releaseLarge(e.getKey(), e.getValue(), cached - cacheLimit);
            }
        }
        if (cached > cacheLimit) {
            releaseEmptySlabs();
        }
    }

    /** Releases cached buffers of one large class, oldest first, until {@code bytes} are freed. */
    private void releaseLarge(long sizeClass, ArrayDeque<Chunk> q, long bytes) {
        for (long freed = 0; freed < bytes && !q.isEmpty(); freed += sizeClass) {
            CL.clReleaseMemObject(q.pollLast().mem());
            cached -= sizeClass;
            reserved -= sizeClass;
        }
    }

    /** Releases every slab none of whose slices is in use, with its cached slices and any cursor into it. */
    private void releaseEmptySlabs() {
        Set<Slab> empty = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<Long, ArrayDeque<Chunk>> e : free.entrySet()) {
            if (e.getKey() <= SMALL) {
                int before = e.getValue().size();
                e.getValue().removeIf(c -> unused(c, empty));
                cached -= (before - e.getValue().size()) * e.getKey();
            }
        }
        slabCursor.values().removeIf(c -> unused(c, empty));
        for (Slab slab : empty) {
            CL.clReleaseMemObject(slab.mem);
            reserved -= SLAB;
        }
    }

    /** @return whether {@code c}'s slab has no slice in use, adding the slab to {@code into} if so */
    private static boolean unused(Chunk c, Set<Slab> into) {
        if (c.slab().inUse != 0) {
            return false;
        }
        into.add(c.slab());
        return true;
    }

    /** Restarts the peak from the bytes in use now. */
    void resetPeak() {
        drain();
        synchronized (this) {
            peak = allocated;
        }
    }

    MemoryStats stats() {
        drain();
        synchronized (this) {
            return new MemoryStats(allocated, cached, peak, reserved);
        }
    }
}
