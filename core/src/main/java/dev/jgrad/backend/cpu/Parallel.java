package dev.jgrad.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * The one pool every cpu kernel shares. Its size comes from the system property
 * {@code jgrad.threads} (default: the number of hardware threads). Work below a size threshold runs
 * on the calling thread: forking costs microseconds, which small ops cannot repay.
 */
final class Parallel {
    private static final int THREADS = configuredThreads();
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS) : null;

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

    /** @return the number of threads kernels may use */
    static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code task.accept(i)} for {@code i} in {@code [0, parts)}, in parallel when there is more
     * than one part and the pool exists; returns when all are done.
     */
    static void forEach(int parts, IntConsumer task) {
        if (parts <= 1 || POOL == null) {
            for (int i = 0; i < parts; i++) {
                task.accept(i);
            }
            return;
        }
        RecursiveAction[] actions = new RecursiveAction[parts];
        for (int i = 0; i < parts; i++) {
            int part = i;
            actions[i] = new RecursiveAction() {
                @Override
                protected void compute() {
                    task.accept(part);
                }
            };
        }
        if (ForkJoinTask.getPool() == POOL) {
            ForkJoinTask.invokeAll(actions);
        } else {
            POOL.invoke(new RecursiveAction() {
                @Override
                protected void compute() {
                    invokeAll(actions);
                }
            });
        }
    }

    /** @return how many parts to split {@code work} units into, at least {@code grain} units each */
    static int parts(long work, long grain) {
        return (int) Math.max(1, Math.min(THREADS, work / Math.max(1, grain)));
    }
}
