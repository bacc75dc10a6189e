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
 * throughput (12 independent vector accumulators, enough to cover FMA latency) and the bandwidth
 * of {@code System.arraycopy} on arrays far larger than the caches.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PeakBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Iterations of the FMA loop; each does 12 vector FMAs. */
    public static final int FMA_ITERATIONS = 1 << 20;
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
        seed = 1.0000001f;
    }

    /** @return flops = FMA_ITERATIONS * 12 * lanes * 2 */
    public static double fmaFlops() {
        return (double) FMA_ITERATIONS * 12 * S.length() * 2;
    }

    /** @return a value depending on every accumulator, so nothing is dead code */
    @Benchmark
    public float fmaThroughput() {
        FloatVector m = FloatVector.broadcast(S, seed);
        FloatVector a = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m;
        FloatVector c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (int i = 0; i < FMA_ITERATIONS; i++) {
            c0 = c0.fma(m, a);
            c1 = c1.fma(m, a);
            c2 = c2.fma(m, a);
            c3 = c3.fma(m, a);
            c4 = c4.fma(m, a);
            c5 = c5.fma(m, a);
            c6 = c6.fma(m, a);
            c7 = c7.fma(m, a);
            c8 = c8.fma(m, a);
            c9 = c9.fma(m, a);
            c10 = c10.fma(m, a);
            c11 = c11.fma(m, a);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** Copies 64 MiB: 128 MiB of traffic (read + write). */
    @Benchmark
    public float[] arraycopy() {
        System.arraycopy(src, 0, dst, 0, COPY_ELEMENTS);
        return dst;
    }
}
