package dev.jgrad.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * This machine's ceilings, measured in the same run as everything else: one core's F32 FMA
 * throughput and the bandwidth of {@code System.arraycopy} on arrays far larger than the caches.
 *
 * <p>The FMA loop runs {@value #CHAINS} independent chains: enough to cover FMA latency × FMA
 * pipes on every current core (4 × 2 on Haswell to Zen 5, 4 × 4 on Apple M and Neoverse V), so
 * it is throughput-bound at any vector width. Each chain is {@code c = c·c + c}, which needs no
 * register besides its own, so 16 chains fit in AVX2's 16 registers without spilling; starting
 * in (-1, 0) the values shrink slowly towards 0 (about -1/n after n steps), never subnormal.
 * The earlier 12 chains of {@code c·m + a} needed 14 registers and measured up to 30% below this
 * on the same core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PeakBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Independent FMA chains. */
    public static final int CHAINS = 16;
    /**
     * Floating-point operations per invocation of {@link #fmaThroughput}, whatever the vector width:
     * 2<sup>20</sup> iterations of {@value #CHAINS} FMAs on 16 lanes (512-bit), more iterations on narrower
     * vectors. Fixed, so that a report made in another JVM (JMH's parent of the fork that ran with
     * {@code -XX:UseAVX=2} or {@code -XX:MaxVectorSize=16}) divides by the flops the fork did; it had
     * divided a 256-bit fork's time by a 512-bit loop's flops, reporting 212 instead of 106 GFLOP/s.
     */
    public static final long FMA_FLOPS = (1L << 20) * CHAINS * 16 * 2;
    /** Iterations of the FMA loop on this JVM's vectors; each does {@value #CHAINS} vector FMAs. */
    static final int FMA_ITERATIONS = (int) (FMA_FLOPS / (2L * CHAINS * S.length()));
    /** Elements copied by the bandwidth probe (64 MiB of floats). */
    public static final int COPY_ELEMENTS = 1 << 24;

    private float[] src;
    private float[] dst;
    private float seed;

    /** Allocates the copy buffers. */
    @Setup
    public void setup() {
        src = new float[COPY_ELEMENTS];
        dst = new float[COPY_ELEMENTS];
        java.util.Arrays.fill(src, 1f);
        seed = -0.5f;
    }

    /** @return {@link #FMA_FLOPS}, which every invocation does on any vector width */
    public static double fmaFlops() {
        return FMA_FLOPS;
    }

    /** @return a value depending on every chain, so nothing is dead code */
    @Benchmark
    public float fmaThroughput() {
        FloatVector c0 = FloatVector.broadcast(S, seed), c1 = c0.mul(0.99f), c2 = c0.mul(0.98f), c3 = c0.mul(0.97f);
        FloatVector c4 = c0.mul(0.96f), c5 = c0.mul(0.95f), c6 = c0.mul(0.94f), c7 = c0.mul(0.93f);
        FloatVector c8 = c0.mul(0.92f), c9 = c0.mul(0.91f), c10 = c0.mul(0.9f), c11 = c0.mul(0.89f);
        FloatVector c12 = c0.mul(0.88f), c13 = c0.mul(0.87f), c14 = c0.mul(0.86f), c15 = c0.mul(0.85f);
        for (int i = 0; i < FMA_ITERATIONS; i++) {
            c0 = c0.fma(c0, c0);
            c1 = c1.fma(c1, c1);
            c2 = c2.fma(c2, c2);
            c3 = c3.fma(c3, c3);
            c4 = c4.fma(c4, c4);
            c5 = c5.fma(c5, c5);
            c6 = c6.fma(c6, c6);
            c7 = c7.fma(c7, c7);
            c8 = c8.fma(c8, c8);
            c9 = c9.fma(c9, c9);
            c10 = c10.fma(c10, c10);
            c11 = c11.fma(c11, c11);
            c12 = c12.fma(c12, c12);
            c13 = c13.fma(c13, c13);
            c14 = c14.fma(c14, c14);
            c15 = c15.fma(c15, c15);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).add(c12)
                .add(c13).add(c14).add(c15).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** Copies 64 MiB: 128 MiB of traffic (read + write). */
    @Benchmark
    public float[] arraycopy() {
        System.arraycopy(src, 0, dst, 0, COPY_ELEMENTS);
        return dst;
    }
}
