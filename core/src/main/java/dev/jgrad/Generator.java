package dev.jgrad;

import java.util.random.RandomGenerator;

/**
 * A seedable random generator whose whole state is one {@code long}, so that a checkpoint can save
 * and restore it and a resumed run draws the same numbers (PyTorch's {@code torch.Generator} with
 * {@code get_state} / {@code set_state}). The algorithm is SplitMix64 (Steele, Lea and Flood, 2014):
 * a Weyl sequence with step {@code 0x9E3779B97F4A7C15} passed through a 64-bit mixing function;
 * ample for initialisation, dropout masks and shuffling, not for cryptography.
 *
 * <p>Thread-safe: every draw is atomic, so threads sharing the default generator
 * ({@link Tensor#defaultGenerator()}) never see the same number twice; their interleaving, and
 * hence which thread gets which number, is not deterministic.
 */
public final class Generator implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    /** @param seed the initial seed (any value) */
    public Generator(long seed) {
        this.state = seed;
    }

    /** Reseeds, as {@code torch.Generator.manual_seed}. @return this */
    public synchronized Generator manualSeed(long seed) {
        state = seed;
        return this;
    }

    /** @return the full state, for {@link #setState(long)} (a checkpoint saves it) */
    public synchronized long state() {
        return state;
    }

    /** Restores a state returned by {@link #state()}: the following draws repeat those that followed it. */
    public synchronized void setState(long newState) {
        state = newState;
    }

    @Override
    public synchronized long nextLong() {
        state += GOLDEN_GAMMA;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A standard normal draw; synchronised as a whole so that its two uniform draws stay together. */
    @Override
    public synchronized double nextGaussian() {
        return RandomGenerator.super.nextGaussian();
    }
}
