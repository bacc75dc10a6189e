package dev.jgrad.backend;

import dev.jgrad.DType;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The host backends' cache of released arrays, so that a training step run inside a
 * {@code MemoryScope} reuses the previous step's memory instead of asking the JVM for new arrays.
 *
 * <p>Why: the JVM zero-fills every new array on the allocating thread, in eden memory that a
 * training loop cycles through faster than the caches can keep it, so a fresh 1 MiB output costs
 * more than the kernel that fills it (a LayerNorm over {@code [256, 1024]} spent half its time
 * there). An array released by a closing scope was written during the last step and is still in
 * cache; handing it back for an output the primitive overwrites completely skips the fill. This is
 * the host counterpart of PyTorch's reuse of freed blocks, but explicit: the JVM learns that an
 * array is dead only at a collection, so only arrays a closing scope released come here.
 *
 * <p>Arrays are reused at their exact length (a buffer's length is its element count), most
 * recently released first; arrays under {@link #MIN_BYTES} are left to the collector (a
 * thread-local allocation of them costs less than the bookkeeping). The pool holds at most
 * {@code jgrad.heap.poolBytes} bytes (default: an eighth of the maximum heap, at most 256 MiB;
 * 0 turns it off) and drops the least recently released arrays beyond that. With
 * {@code -Djgrad.heap.poison=true}, every array handed out for overwriting is first filled with
 * NaN (F32, F64) or {@code Long.MIN_VALUE} (I64), so a primitive that leaves part of its output
 * unwritten shows in the tests. Thread-safe.
 */
final class HeapPool {
    /** Smallest array worth pooling. */
    static final long MIN_BYTES = 16 << 10;
    static final HeapPool INSTANCE = new HeapPool(limitFromProperty(), Boolean.getBoolean("jgrad.heap.poison"));

    /** One cached array; {@code taken} marks entries already reused (removed lazily from {@link #order}). */
    private static final class Entry {
        final Object array;
        final long bytes;
        final long key;
        boolean taken;

        Entry(Object array, long bytes, long key) {
            this.array = array;
            this.bytes = bytes;
            this.key = key;
        }
    }

    private final long limit;
    private final boolean poison;
    private final Map<Long, ArrayDeque<Entry>> free = new HashMap<>();
    /** Every cached entry in release order, oldest first (plus taken ones not yet swept). */
    private final ArrayDeque<Entry> order = new ArrayDeque<>();
    private long cachedBytes;
    private int cachedCount;

    HeapPool(long limit, boolean poison) {
        this.limit = limit;
        this.poison = poison;
    }

    private static long limitFromProperty() {
        String s = System.getProperty("jgrad.heap.poolBytes");
        if (s == null) {
            return Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);
        }
        try {
            long v = Long.parseLong(s.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("jgrad.heap.poolBytes must be a byte count >= 0, got '" + s + "'");
    }

    private static long key(DType dtype, int length) {
        return ((long) length << 2) | dtype.ordinal();
    }

    /** @return an array of exactly {@code length} elements whose contents are unspecified */
    Object takeUninitialized(DType dtype, int length) {
        Object a = take(dtype, length);
        if (a == null) {
            a = HeapBuffer.newArray(dtype, length);
        }
        if (poison) {
            fill(dtype, a, true);
        }
        return a;
    }

    /** @return a zero-filled array of exactly {@code length} elements */
    Object takeZeroed(DType dtype, int length) {
        Object a = take(dtype, length);
        if (a == null) {
            return HeapBuffer.newArray(dtype, length);
        }
        fill(dtype, a, false);
        return a;
    }

    /** Fills {@code a} with zeros, or with the poison value (NaN, {@code Long.MIN_VALUE}). */
    private static void fill(DType dtype, Object a, boolean poisoned) {
        switch (dtype) {
            case F32 -> Arrays.fill((float[]) a, poisoned ? Float.NaN : 0f);
            case F64 -> Arrays.fill((double[]) a, poisoned ? Double.NaN : 0d);
            case I64 -> Arrays.fill((long[]) a, poisoned ? Long.MIN_VALUE : 0L);
        }
    }

    private Object take(DType dtype, int length) {
        if ((long) length * dtype.byteSize() < MIN_BYTES) {
            return null;   // most allocations: no lock taken
        }
        synchronized (this) {
            return takeCached(dtype, length);
        }
    }

    private Object takeCached(DType dtype, int length) {
        if (cachedCount == 0) {
            return null;
        }
        ArrayDeque<Entry> list = free.get(key(dtype, length));
        Entry e = list == null ? null : list.pollLast();
        if (e == null) {
            return null;
        }
        e.taken = true;
        cachedBytes -= e.bytes;
        cachedCount--;
        if (order.size() > 2 * cachedCount + 64) {
            order.removeIf(x -> x.taken);
        }
        return e.array;
    }

    /**
     * Caches the array of a buffer no tensor uses any more; drops the oldest cached arrays beyond
     * the limit.
     */
    void give(HeapBuffer b) {
        long bytes = b.length() * b.dtype().byteSize();
        if (bytes < MIN_BYTES || bytes > limit) {
            return;
        }
        Object array = b.f32 != null ? b.f32 : b.f64 != null ? (Object) b.f64 : b.i64;
        Entry e = new Entry(array, bytes, key(b.dtype(), (int) b.length()));
        synchronized (this) {
            free.computeIfAbsent(e.key, k -> new ArrayDeque<>()).addLast(e);
            order.addLast(e);
            cachedBytes += bytes;
            cachedCount++;
            evictBeyond(limit);
        }
    }

    private void evictBeyond(long bytes) {
        Iterator<Entry> it = order.iterator();
        while (cachedBytes > bytes && it.hasNext()) {
            Entry e = it.next();
            it.remove();
            if (!e.taken) {
                free.get(e.key).remove(e);
                e.taken = true;
                cachedBytes -= e.bytes;
                cachedCount--;
            }
        }
    }

    /** Drops every cached array for the collector. */
    synchronized void clear() {
        evictBeyond(0);
        order.clear();
        free.clear();
    }

    /** @return bytes held for reuse */
    synchronized long cachedBytes() {
        return cachedBytes;
    }
}
