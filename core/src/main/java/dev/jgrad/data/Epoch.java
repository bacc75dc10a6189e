package dev.jgrad.data;

import dev.jgrad.Tensor;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One pass of a {@link DataLoader} over its dataset. With prefetching, a daemon thread assembles
 * the batches in order into a bounded queue; {@link #close()}, the loader's next epoch, or this
 * object becoming unreachable (a {@link Cleaner}) stops it.
 */
public final class Epoch implements Iterator<List<Tensor>>, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Dataset data;
    private final int[] order;
    private final int batchSize;
    private final int count;
    private final String device;
    private final Pipeline pipeline;
    private int taken;

    Epoch(Dataset data, int[] order, int batchSize, int count, String device, int prefetch) {
        this.data = data;
        this.order = order;
        this.batchSize = batchSize;
        this.count = count;
        this.device = device;
        if (prefetch > 0 && count > 0) {
            Pipeline p = new Pipeline(prefetch);
            pipeline = p;
            // The thread sees only locals (the pipeline and the batch recipe), never this object, so a
            // dropped Epoch becomes unreachable and its cleaner stops the thread.
            Thread t = Thread.ofPlatform().daemon().name("jgrad-dataloader-" + THREADS.incrementAndGet())
                    .unstarted(() -> produce(p, data, order, batchSize, count, device));
            p.thread = t;
            CLEANER.register(this, p::stop);
            t.start();
        } else {
            pipeline = new Pipeline(1);
        }
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** @return the number of batches in this epoch */
    public int batches() {
        return count;
    }

    @Override
    public boolean hasNext() {
        return taken < count;
    }

    /**
     * @return the next batch
     * @throws NoSuchElementException when the epoch is over
     * @throws IllegalStateException  when assembling the batch failed (the cause attached), or the
     *                                epoch was closed
     */
    @Override
    public List<Tensor> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("DataLoader: the epoch's " + count + " batches are all taken");
        }
        int k = taken++;
        if (pipeline.thread == null) {
            try {
                return load(data, order, batchSize, k, device);
            } catch (RuntimeException | Error e) {
                throw failure(k, e);
            }
        }
        Object item = pipeline.take(k, count);
        if (item instanceof Failure f) {
            close();
            throw failure(f.batch, f.cause);
        }
        @SuppressWarnings("unchecked")
        List<Tensor> batch = (List<Tensor>) item;
        return batch;
    }

    private IllegalStateException failure(int k, Throwable cause) {
        taken = count;
        return new IllegalStateException("DataLoader: assembling batch " + k + " of " + count + " failed: " + cause,
                cause);
    }

    /** Stops the loading thread and waits briefly for it; the epoch then yields nothing more. */
    @Override
    public void close() {
        taken = count;
        pipeline.stop();
        pipeline.join();
    }

    /** @return batch {@code k}: the examples at {@code order[k * b ...]}, gathered by the dataset */
    static List<Tensor> load(Dataset data, int[] order, int b, int k, String device) {
        int[] idx = Arrays.copyOfRange(order, k * b, Math.min(order.length, (k + 1) * b));
        List<Tensor> batch = data.batch(idx);
        if (device == null) {
            return List.copyOf(batch);
        }
        List<Tensor> moved = new ArrayList<>(batch.size());
        for (Tensor t : batch) {
            moved.add(t.to(device));
        }
        return List.copyOf(moved);
    }

    private static void produce(Pipeline p, Dataset data, int[] order, int b, int count, String device) {
        for (int k = 0; k < count && !p.stopped; k++) {
            Object item;
            try {
                item = load(data, order, b, k, device);
            } catch (Throwable e) {
                item = new Failure(k, e);
            }
            if (!p.put(item) || item instanceof Failure) {
                return;
            }
        }
    }

    private record Failure(int batch, Throwable cause) {
    }

    /** The queue and thread of one epoch; shared with the loader so that its next epoch can stop it. */
    static final class Pipeline {
        private static final long FIRST_NAP_NANOS = 20_000;
        private static final long LAST_NAP_NANOS = 500_000;
        /** Napping this long in all, the consumer is slow enough that waking this thread costs it nothing much. */
        private static final long NAPS_NANOS = 50_000_000;
        final BlockingQueue<Object> queue;
        private final long napsNanos;
        volatile boolean stopped;
        volatile Thread thread;

        Pipeline(int capacity) {
            this(capacity, NAPS_NANOS);
        }

        /** @param napsNanos how long {@link #put} naps in all before it waits for a signal instead */
        Pipeline(int capacity, long napsNanos) {
            queue = new ArrayBlockingQueue<>(capacity);
            this.napsNanos = napsNanos;
        }

        /**
         * Adds {@code item} once the queue has room. While it is full this thread naps with a growing
         * timeout ({@value #FIRST_NAP_NANOS} ns doubling up to {@value #LAST_NAP_NANOS} ns) and looks again,
         * instead of waiting to be signalled: a blocking {@code put} would make every {@code next()} of
         * the training thread wake this one, a system call that cost the training thread 20–65 µs a
         * batch on a 2-vCPU VM (median, measured in {@code next()}) — the loader's work was hidden but
         * not its wake-up. A nap ends on this thread's own timer. It notices a free slot at most
         * {@value #LAST_NAP_NANOS} ns late, well within the step that the batch still queued covers.
         * After {@value #NAPS_NANOS} ns of naps for one item the consumer takes batches so rarely (or has
         * paused) that a wake-up is nothing to its step, and this thread waits for the signal instead of
         * waking 2,000 times a second.
         *
         * @return false if the epoch was stopped (or this thread interrupted) first
         */
        boolean put(Object item) {
            long nap = FIRST_NAP_NANOS;
            long napped = 0;
            while (!queue.offer(item)) {
                if (stopped || Thread.currentThread().isInterrupted()) {
                    return false;
                }
                if (napped >= napsNanos) {
                    try {
                        queue.put(item);
                        return true;
                    } catch (InterruptedException e) {
                        return false;
                    }
                }
                LockSupport.parkNanos(this, nap);
                napped += nap;
                nap = Math.min(LAST_NAP_NANOS, 2 * nap);
            }
            return true;
        }

        void stop() {
            stopped = true;
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
        }

        void join() {
            Thread t = thread;
            if (t != null) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        Object take(int k, int count) {
            try {
                while (true) {
                    Object item = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (item != null) {
                        return item;
                    }
                    Thread t = thread;
                    if (stopped || (!t.isAlive() && queue.isEmpty())) {
                        throw new IllegalStateException("DataLoader: batch " + k + " of " + count + " was asked for"
                                + " after the epoch was stopped (closed, or the loader started a new epoch)");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("DataLoader: interrupted while waiting for batch " + k, e);
            }
        }
    }
}
