package dev.jgrad.data;

import dev.jgrad.Tensor;
import java.util.random.RandomGenerator;

/** Random orders for loaders and splits, and the generator used when the caller names none. */
final class Shuffle {
    private Shuffle() {
    }

    /** @return the generator that loaders use when given none: the one {@link Tensor#manualSeed} seeds */
    static RandomGenerator defaultGenerator() {
        return Tensor.defaultGenerator();
    }

    /**
     * @return a uniformly random permutation of {@code 0..n-1} (Fisher-Yates), drawn from {@code rng}
     *         while holding its monitor, so that a shared generator yields each permutation's draws
     *         together ({@link dev.jgrad.Generator} synchronises on itself too)
     */
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
