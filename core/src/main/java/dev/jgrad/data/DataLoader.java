package dev.jgrad.data;

import dev.jgrad.Tensor;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Iterates over a dataset in batches, one epoch per {@link #iterator()} (PyTorch's
 * {@code DataLoader}). The three kinds of gradient descent are one number apart: batch descent is
 * {@code batchSize = data.size()}, stochastic descent {@code 1}, mini-batch descent anything between.
 *
 * <p>With {@code shuffle}, every epoch draws a fresh order from the generator, so the same seed gives
 * the same sequence of orders; the draw happens in the calling thread when the epoch starts. Batches
 * are assembled ahead on a background thread into a bounded queue ({@link #prefetch(int)}, default
 * 2), so loading overlaps the training step; a failure there surfaces from {@code next()} with its
 * cause. Starting the next epoch, closing an {@link Epoch}, or dropping it mid-way stops that
 * thread, so an abandoned iteration leaks none.
 */
public final class DataLoader implements Iterable<List<Tensor>> {
    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final RandomGenerator rng;
    private final String device;
    private final int prefetch;
    private Epoch.Pipeline running;

    /**
     * A loader with PyTorch's defaults: the last batch kept even when short, orders drawn from the
     * default generator ({@link Tensor#manualSeed}).
     *
     * @param data      the examples
     * @param batchSize examples per batch, {@code >= 1}
     * @param shuffle   whether every epoch visits the examples in a fresh random order
     */
    public DataLoader(Dataset data, int batchSize, boolean shuffle) {
        this(data, batchSize, shuffle, false, null);
    }

    /**
     * @param data      the examples
     * @param batchSize examples per batch, {@code >= 1}
     * @param shuffle   whether every epoch visits the examples in a fresh random order
     * @param dropLast  whether to skip a last batch shorter than {@code batchSize}
     * @param rng       draws the orders; null means the default generator, which {@link Tensor#manualSeed} seeds
     */
    public DataLoader(Dataset data, int batchSize, boolean shuffle, boolean dropLast, RandomGenerator rng) {
        this(data, batchSize, shuffle, dropLast, rng, null, 2);
    }

    private DataLoader(Dataset data, int batchSize, boolean shuffle, boolean dropLast, RandomGenerator rng,
            String device, int prefetch) {
        this.data = Objects.requireNonNull(data, "data");
        if (batchSize < 1) {
            throw new IllegalArgumentException("DataLoader: batchSize must be >= 1, got " + batchSize
                    + " (use data.size() = " + data.size() + " for full-batch descent, 1 for stochastic descent)");
        }
        if (prefetch < 0) {
            throw new IllegalArgumentException("DataLoader.prefetch: needs a count >= 0 of batches, got " + prefetch);
        }
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.rng = rng == null ? Shuffle.defaultGenerator() : rng;
        this.device = device;
        this.prefetch = prefetch;
    }

    /**
     * @param device a device name such as {@code "opencl"}, or null to leave batches where the data is
     * @return a loader like this one whose batches are moved to {@code device} on the loading thread
     *         (sharing this loader's generator)
     */
    public DataLoader to(String device) {
        return new DataLoader(data, batchSize, shuffle, dropLast, rng, device, prefetch);
    }

    /**
     * @param batches how many batches to prepare ahead, {@code >= 0}; 0 loads each batch in the
     *                calling thread when {@code next()} asks for it
     * @return a loader like this one with that queue bound (sharing this loader's generator)
     */
    public DataLoader prefetch(int batches) {
        return new DataLoader(data, batchSize, shuffle, dropLast, rng, device, batches);
    }

    /** @return the number of batches per epoch: {@code size / batchSize}, rounded up unless {@code dropLast} */
    public int batches() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** @return the examples per batch (the last one may hold fewer unless {@code dropLast}) */
    public int batchSize() {
        return batchSize;
    }

    /** @return the dataset this loader reads */
    public Dataset dataset() {
        return data;
    }

    /**
     * Starts an epoch: draws its order, stops the previous epoch's loading thread if it is still
     * running, and starts loading.
     *
     * @return the epoch's batches, each a list with one tensor per dataset field
     */
    @Override
    public synchronized Epoch iterator() {
        if (running != null) {
            running.stop();
        }
        int n = data.size();
        int[] order = shuffle ? Shuffle.permutation(n, rng) : identity(n);
        Epoch e = new Epoch(data, order, batchSize, batches(), device, prefetch);
        running = e.pipeline();
        return e;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }
}
