package dev.jgrad.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.function.DoubleSupplier;

/**
 * What the DataLoader adds to a training step, as same-JVM ratios: rounds of each
 * {@link DataLoaderBenchmark} case, the cases alternating round after round, each round's time
 * divided by the same round's {@code stepPreassembled}, the median ratio over the rounds printed.
 * On a shared machine JMH's separate averages drift by more (±15%) than the few percent in
 * question; alternating keeps every case under the same conditions. {@code stepBesideCompute} is
 * {@code stepPreassembled} while a helper thread, woken once a step, computes for as long as the
 * last round's {@code assemble} took without touching memory: set beside {@code stepBesideLoader},
 * it tells the loading thread's memory traffic from its mere running on the other core.
 * {@code waitInNext} is the part of {@code stepFromLoader} spent waiting in the loader's {@code next()}
 * for a batch: the loading time prefetching did not hide.
 * <pre>
 * java --add-modules jdk.incubator.vector -Xms4g -Xmx4g -XX:+AlwaysPreTouch [-Djgrad.threads=1] \
 *     -cp benchmarks/target/jgrad-benchmarks.jar dev.jgrad.bench.LoaderRatios \
 *     [hidden] [rounds] [steps] [scoped] [augment]
 * </pre>
 * {@code hidden} as {@link DataLoaderBenchmark#hidden} (default {@code 512-512}), {@code rounds}
 * (default 24, the first 4 discarded as warm-up) of {@code steps} steps per case (default 100),
 * {@code scoped} as {@link DataLoaderBenchmark#scoped} and {@code augment} as
 * {@link DataLoaderBenchmark#augment} (both default false). With {@code augment}, loading a batch costs
 * a fifth of a step or more, so whether prefetching hides it shows above the noise: with
 * {@code -Djgrad.threads=1} the step runs on one core and the loading thread has the other.
 */
public final class LoaderRatios {
    private static final int WARM_ROUNDS = 4;

    private LoaderRatios() {
    }

    /**
     * @param args {@code [hidden] [rounds] [steps] [scoped]}, see the class comment
     */
    public static void main(String[] args) {
        DataLoaderBenchmark b = new DataLoaderBenchmark();
        b.batch = 64;
        b.hidden = args.length > 0 ? args[0] : "512-512";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 24;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        b.scoped = args.length > 3 && Boolean.parseBoolean(args[3]);
        b.augment = args.length > 4 && Boolean.parseBoolean(args[4]);
        b.setup();
        Helper helper = new Helper();
        // stepPreassembled first (the denominator), assemble last (the helper's work per step).
        Case[] cases = {new Case("stepPreassembled", b::stepPreassembled),
            new Case("stepFromLoader", b::stepFromLoader), new Case("stepFromSyncLoader", b::stepFromSyncLoader),
            new Case("stepBesideLoader", b::stepBesideLoader),
            new Case("stepBesideCompute", () -> helper.beside(b::stepPreassembled)), new Case("step", b::step),
            new Case("assemble", () -> b.assemble().size())};
        double[][] ratios = new double[cases.length + 1][Math.max(0, rounds - WARM_ROUNDS)];
        double[] micros = new double[cases.length + 1];
        for (int r = 0; r < rounds; r++) {
            for (int c = 0; c < cases.length; c++) {
                micros[c] = time(cases[c].run(), steps);
                // only stepFromLoader counts waits, and reading them resets the count for its next round
                if (cases[c].name().equals("stepFromLoader")) {
                    micros[cases.length] = b.takeWaitMicros();
                }
            }
            helper.nanos = (long) (micros[cases.length - 1] * 1e3);
            if (r >= WARM_ROUNDS) {
                for (int c = 0; c < micros.length; c++) {
                    ratios[c][r - WARM_ROUNDS] = micros[c] / micros[0];
                }
            }
        }
        System.out.printf(Locale.ROOT, "MLP 784-%s-10, batch 64, %d rounds of %d steps%s%s; last round's times and the"
                + " median ratio to stepPreassembled (quartiles)%n", b.hidden, rounds - WARM_ROUNDS, steps,
                b.scoped ? ", each step in a MemoryScope" : "", b.augment ? ", examples augmented as loaded" : "");
        for (int c = 0; c < micros.length; c++) {
            double[] q = ratios[c].clone();
            Arrays.sort(q);
            System.out.printf(Locale.ROOT, "%-19s %9.1f us %8.4f (%.4f-%.4f)%n",
                    c < cases.length ? cases[c].name() : "waitInNext", micros[c], at(q, 0.5), at(q, 0.25), at(q, 0.75));
        }
    }

    private record Case(String name, DoubleSupplier run) {
    }

    /** @return the mean wall time of one call over {@code steps} calls, us */
    private static double time(DoubleSupplier task, int steps) {
        double sink = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            sink += task.getAsDouble();
        }
        long t = System.nanoTime() - t0;
        return sink == Double.MIN_VALUE ? 0 : t / 1e3 / steps;
    }

    /** A daemon thread that computes for {@link #nanos} each time it is released, touching no memory. */
    private static final class Helper {
        private final Semaphore go = new Semaphore(0);
        volatile long nanos = 40_000;
        volatile double result;

        Helper() {
            Thread t = new Thread(this::run, "loader-ratios-helper");
            t.setDaemon(true);
            t.start();
        }

        /** @return {@code step}'s value, the helper released first */
        double beside(DoubleSupplier step) {
            go.release();
            return step.getAsDouble();
        }

        private void run() {
            double x = 1;
            while (true) {
                go.acquireUninterruptibly();
                for (long end = System.nanoTime() + nanos; System.nanoTime() < end; ) {
                    for (int i = 0; i < 100; i++) {
                        x = x * 1.0000001 + 1e-9;
                    }
                }
                result = x;
            }
        }
    }

    private static double at(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)];
    }
}
