package dev.jgrad.backend;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live-bytes accounting for the host backends' {@link HeapBuffer}s (the counterpart of the OpenCL
 * backend's memory statistics), for measuring what a computation keeps alive, e.g. activations
 * saved for backward. Off by default; {@link #setTracking(boolean) on}, every buffer allocated is
 * counted until the garbage collector finds it unreachable, so {@link #liveBytes()} is exact only
 * right after a collection ({@link #settledLiveBytes()} forces one) and otherwise an upper bound.
 * Off, the cost is one read of a static field per buffer allocated. The arrays a {@code MemoryScope}
 * released and the backends keep for reuse are reported apart ({@link #pooledBytes()}). Thread-safe.
 */
public final class HeapMemory {
    /** A buffer's size, remembered until the buffer becomes unreachable. */
    private static final class Tracked extends PhantomReference<HeapBuffer> {
        final long bytes;

        Tracked(HeapBuffer buffer, long bytes) {
            super(buffer, QUEUE);
            this.bytes = bytes;
        }
    }

    private static final ReferenceQueue<HeapBuffer> QUEUE = new ReferenceQueue<>();
    private static final Set<Tracked> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean tracking;
    private static long live;
    private static long peak;

    private HeapMemory() {
    }

    /** Turns counting on or off; turning it on starts from zero live and zero peak bytes. */
    public static synchronized void setTracking(boolean on) {
        if (on && !tracking) {
            LIVE.clear();
            live = 0;
            peak = 0;
        }
        tracking = on;
    }

    /** @return whether buffers are being counted */
    public static boolean isTracking() {
        return tracking;
    }

    /** Called by every new heap buffer. */
    static void allocated(HeapBuffer buffer, long bytes) {
        if (tracking) {
            count(buffer, bytes);
        }
    }

    private static synchronized void count(HeapBuffer buffer, long bytes) {
        drain();
        LIVE.add(new Tracked(buffer, bytes));
        live += bytes;
        peak = Math.max(peak, live);
    }

    /** @return bytes in counted buffers not yet found unreachable (an upper bound on the live bytes) */
    public static synchronized long liveBytes() {
        drain();
        return live;
    }

    /** @return the largest {@link #liveBytes()} seen at an allocation since tracking started or {@link #resetPeak()} */
    public static synchronized long peakBytes() {
        drain();
        return peak;
    }

    /** Starts the peak over from the current live bytes. */
    public static synchronized void resetPeak() {
        drain();
        peak = live;
    }

    /**
     * Collects garbage until the count stops falling, then returns the exact live bytes. Slow (several
     * full collections): for measurements and tests, not for a training loop. After each collection
     * it waits until a sentinel object's reference has been enqueued, so that the references the
     * collection found have been handed over too.
     *
     * @return bytes in counted buffers that are still reachable
     */
    public static long settledLiveBytes() {
        long before = -1;
        for (int round = 0; round < 20; round++) {
            ReferenceQueue<Object> sentinelQueue = new ReferenceQueue<>();
            PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), sentinelQueue);
            System.gc();
            try {
                sentinelQueue.remove(1000);
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            Reference.reachabilityFence(sentinel);
            long now = liveBytes();
            if (now == before) {
                return now;
            }
            before = now;
        }
        return liveBytes();
    }

    /**
     * @return bytes of released arrays the host backends hold for reuse: the arrays of tensors a
     *     {@code MemoryScope} released, handed out again for outputs of the same length (at most
     *     {@code jgrad.heap.poolBytes}; not counted in {@link #liveBytes()})
     */
    public static long pooledBytes() {
        return HeapPool.INSTANCE.cachedBytes();
    }

    /** Drops the arrays held for reuse ({@link #pooledBytes()}), leaving them to the collector. */
    public static void clearPool() {
        HeapPool.INSTANCE.clear();
    }

    private static void drain() {
        for (Reference<? extends HeapBuffer> r = QUEUE.poll(); r != null; r = QUEUE.poll()) {
            if (LIVE.remove(r)) {
                live -= ((Tracked) r).bytes;
            }
        }
    }
}
