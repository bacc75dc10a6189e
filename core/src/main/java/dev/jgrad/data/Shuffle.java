package dev.jgrad.data;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Random orders for loaders and splits, and the generator used when the caller names none. */
final class Shuffle {
    /**
     * The fallback generator, shared by every loader built without one and guarded by its own
     * monitor. Its seed is fixed, so an unseeded program still runs the same way twice.
     */
    private static final RandomGenerator DEFAULT = new SplittableRandom(0x5EED_DA7AL);

    private Shuffle() {
    }

    /** @return the generator that loaders and splits use when given none */
    static RandomGenerator defaultGenerator() {
        return DEFAULT;
    }

    /** @return a uniformly random permutation of {@code 0..n-1} (Fisher-Yates), drawn from {@code rng} */
    static int[] permutation(int n, RandomGenerator rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        synchronized (rng) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
        }
        return p;
    }
}
