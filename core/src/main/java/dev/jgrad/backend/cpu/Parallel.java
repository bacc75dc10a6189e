package dev.jgrad.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The worker threads every cpu kernel shares: {@code jgrad.threads} in all (default: the hardware
 * threads), the caller being one of them. Workers spin for a short while after each job before
 * parking, as BLAS thread pools do: waking a parked thread costs tens of microseconds on this kind
 * of machine, more than a mid-size matmul gains from a second core, while a training loop hands out
 * the next job within microseconds. Work below a size threshold runs on the calling thread.
 */
final class Parallel {
    /**
     * Elements per thread before a streaming op (elementwise, reduction, fill, axpy) is split:
     * below it, handing out the work costs more than the second core saves.
     */
    static final int STREAM_GRAIN = 1 << 18;
    private static final int THREADS = configuredThreads();
    private static final long SPIN_NANOS = 200_000;
    private static final Worker[] WORKERS = startWorkers();
    /** One job at a time; a second caller (another user thread) runs its parts itself. */
    private static final ReentrantLock LOCK = new ReentrantLock();

    private Parallel() {
    }

    private static int configuredThreads() {
        String s = System.getProperty("jgrad.threads");
        int hw = Runtime.getRuntime().availableProcessors();
        if (s == null || s.isBlank()) {
            return hw;
        }
        try {
            int n = Integer.parseInt(s.trim());
            return n >= 1 ? n : hw;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("jgrad.threads must be a positive integer, got '" + s + "'");
        }
    }

    private static Worker[] startWorkers() {
        Worker[] w = new Worker[THREADS - 1];
        for (int i = 0; i < w.length; i++) {
            w[i] = new Worker(i);
            w[i].start();
        }
        return w;
    }

    /** @return the number of threads kernels may use */
    static int threads() {
        return THREADS;
    }

    /** @return how many parts to split {@code work} units into, at least {@code grain} units each */
    static int parts(long work, long grain) {
        return (int) Math.max(1, Math.min(THREADS, work / Math.max(1, grain)));
    }

    /**
     * Runs {@code task.accept(i)} for {@code i} in {@code [0, parts)}, spread over the workers and
     * the calling thread; returns when all are done, rethrowing the first failure.
     */
    static void forEach(int parts, IntConsumer task) {
        // Nested inside a job (on a worker, or on the caller while it holds the job): the other
        // threads are busy with the outer job, so the inner one runs here.
        if (parts <= 1 || WORKERS.length == 0 || Thread.currentThread() instanceof Worker || LOCK.isHeldByCurrentThread()
                || !LOCK.tryLock()) {
            for (int i = 0; i < parts; i++) {
                task.accept(i);
            }
            return;
        }
        try {
            Job job = new Job(task, parts);
            for (Worker w : WORKERS) {
                w.offer(job);
            }
            job.work();
            job.awaitDone();
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Runs {@code each.accept(i)} for {@code i} in {@code [0, count)}, cut into {@code parts}
     * contiguous blocks, one task each. Blocks rather than every {@code parts}-th item: items that
     * write neighbouring memory (a pooled plane of 7 × 7 floats, an unfolded one) would otherwise be
     * written by both threads at the same moment, and the cache lines where they meet would bounce
     * between the cores.
     */
    static void blocks(int count, int parts, IntConsumer each) {
        forEach(parts, p -> {
            for (int i = (int) ((long) count * p / parts), end = (int) ((long) count * (p + 1) / parts); i < end; i++) {
                each.accept(i);
            }
        });
    }

    /** A piece of an index range, {@code [from, to)}. */
    interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code task} over {@code [0, n)} cut into one contiguous chunk per thread, or on the
     * calling thread when {@code n} is below twice {@code grain}. Chunk lengths are multiples of 64
     * elements, so each chunk but the last is whole vectors and two threads share at most the one
     * cache line where their chunks meet.
     */
    static void chunks(int n, int grain, Range task) {
        int parts = parts(n, grain);
        if (parts <= 1) {
            task.run(0, n);
            return;
        }
        int per = (n / parts + 63) & ~63;
        forEach(parts, p -> task.run(Math.min(n, p * per), p == parts - 1 ? n : Math.min(n, (p + 1) * per)));
    }

    /** A split task: parts are claimed with an atomic counter by whichever thread comes first. */
    private static final class Job {
        private final IntConsumer task;
        private final int parts;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private volatile Throwable error;

        Job(IntConsumer task, int parts) {
            this.task = task;
            this.parts = parts;
        }

        void work() {
            for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
                try {
                    task.accept(p);
                } catch (Throwable t) {
                    error = t;
                } finally {
                    done.incrementAndGet();
                }
            }
        }

        void awaitDone() {
            while (done.get() < parts) {
                Thread.onSpinWait();
            }
            Throwable t = error;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }
    }

    /** A daemon thread that runs jobs, spinning briefly between them before it parks. */
    private static final class Worker extends Thread {
        private final AtomicReference<Job> job = new AtomicReference<>();
        private volatile boolean parked;

        Worker(int index) {
            super("jgrad-cpu-" + index);
            setDaemon(true);
        }

        void offer(Job j) {
            job.set(j);
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            while (true) {
                Job j = await();
                job.compareAndSet(j, null);
                j.work();
            }
        }

        private Job await() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (true) {
                Job j = job.get();
                if (j != null) {
                    return j;
                }
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (job.get() == null) {
                    LockSupport.park(this);
                }
                parked = false;
            }
        }
    }
}
