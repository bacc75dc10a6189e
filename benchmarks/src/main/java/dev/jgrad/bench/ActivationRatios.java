package dev.jgrad.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The speed-up of each activation kernel over the scalar loop of its formula
 * ({@link ActivationBenchmark#kernel} against {@link ActivationBenchmark#scalarLoop}), timed by the
 * benchmark thread's CPU time, best of many calls, the two alternating: on a shared machine the
 * wall-clock averages of JMH swing by ±100% when other processes take the core, the best CPU time
 * hardly moves. Run one thread, and {@code -XX:UseAVX=2} for the AVX2 path on an AVX-512 machine:
 * <pre>
 * java --add-modules jdk.incubator.vector -Djgrad.threads=1 [-XX:UseAVX=2] \
 *     -cp benchmarks/target/jgrad-benchmarks.jar dev.jgrad.bench.ActivationRatios [ops] [sizes] [seconds]
 * </pre>
 * {@code ops} and {@code sizes} are comma-separated (default {@code exp,tanh,sigmoid,gelu} and
 * {@code 65536,16777216}); {@code seconds} is the time per case (default 4: a third warms up).
 */
public final class ActivationRatios {
    private static final ThreadMXBean CPU = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ActivationRatios() {
    }

    /**
     * @param args {@code [ops] [sizes] [seconds]}, see the class comment
     */
    public static void main(String[] args) {
        String[] ops = (args.length > 0 ? args[0] : "exp,tanh,sigmoid,gelu").split(",");
        String[] sizes = (args.length > 1 ? args[1] : "65536,16777216").split(",");
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 4;
        System.out.printf(Locale.ROOT, "%-8s %9s %12s %12s %8s%n", "op", "n", "kernel", "scalar", "ratio");
        for (String size : sizes) {
            for (String op : ops) {
                ActivationBenchmark b = new ActivationBenchmark();
                b.n = Integer.parseInt(size);
                b.device = "cpu";
                b.op = op;
                b.setup();
                int reps = Math.max(1, (1 << 20) / b.n);
                double[] best = measure(b::kernel, b::scalarLoop, b.n, reps, seconds);
                System.out.printf(Locale.ROOT, "%-8s %9d %9.1f us %9.1f us %7.2fx%n", op, b.n, best[0] / 1e3,
                        best[1] / 1e3, best[1] / best[0]);
            }
        }
    }

    /**
     * Warms both up (see {@link #warm}), then alternates them, {@code reps} calls at a time.
     *
     * @return the best CPU time of one call of each, ns
     */
    private static double[] measure(Supplier<?> kernel, Supplier<?> scalar, int n, int reps, double seconds) {
        warm(kernel, scalar::get, n, seconds / 3);
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
        long end = System.nanoTime() + (long) (seconds * 2e9 / 3);
        for (int round = 0; round < 5 || System.nanoTime() < end; round++) {
            best[0] = Math.min(best[0], cpuNanos(kernel, reps) / (double) reps);
            best[1] = Math.min(best[1], cpuNanos(scalar, reps) / (double) reps);
        }
        return best;
    }

    /**
     * Calls {@code kernel}, and {@code between} after each call, for at least {@code seconds} and
     * until the kernel allocates under a byte per element of its {@code n}: before C2 compiles it,
     * the Vector API runs boxed, about 1000 times slower, and on a loaded machine that can take
     * longer than JMH's warm-up (GELU measured 70 ms instead of 45 us at 64K floats).
     *
     * @throws IllegalStateException if it still allocates after 120 s
     */
    static void warm(Supplier<?> kernel, Runnable between, int n, double seconds) {
        long start = System.nanoTime(), end = start + (long) (seconds * 1e9);
        while (allocated(kernel) >= n || System.nanoTime() < end) {
            if (System.nanoTime() - start > 120e9) {
                throw new IllegalStateException("the kernel still allocates after 120 s: not compiled by C2?");
            }
            between.run();
        }
    }

    /** Bytes the calling thread allocates in one call. */
    private static long allocated(Supplier<?> call) {
        long before = CPU.getCurrentThreadAllocatedBytes();
        call.get();
        return CPU.getCurrentThreadAllocatedBytes() - before;
    }

    private static long cpuNanos(Supplier<?> call, int reps) {
        long t = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < reps; i++) {
            call.get();
        }
        return CPU.getCurrentThreadCpuTime() - t;
    }
}
