package dev.jgrad.spark;

import dev.jgrad.Tensor;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.SGD;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Not a test (Surefire skips it): measures a round's overhead in {@code local[2]} for a
 * 1,001,000-parameter model (Linear 1000→1000) with one row per partition, so nearly all of the round
 * is broadcast, flattening, tree-aggregate and the driver's step. Prints the median and p90 of 30
 * rounds after 300 warm-up rounds, the process CPU time per round (all threads) and where the time goes
 * ({@link RoundTimeline}). Run with the module's test classpath and {@link SparkJvmOptions#OPTIONS};
 * arguments {@code key=value} are Spark settings (e.g. {@code spark.broadcast.compress=false
 * spark.task.maxDirectResultSize=64m}).
 */
final class RoundOverhead {
    /**
     * Rounds before timing ({@code -Dwarmup=N}): after 20, C1 and C2 still compiled Spark's and jgrad's
     * paths for a third of the process's CPU time (perf), and the median round measured 45–61 ms
     * against 27–30 ms after 300.
     */
    private static final int WARM_UP = Integer.getInteger("warmup", 300);

    private RoundOverhead() {
    }

    /** @param args Spark settings, {@code key=value} */
    public static void main(String[] args) {
        try (JavaSparkContext jsc = OverheadSetup.context("overhead", args)) {
            List<Example> rows = OverheadSetup.rows();
            Tensor.manualSeed(1);
            Module m = new Linear(1000, 1000);
            TrainingConfig cfg = OverheadSetup.config();
            RoundTimeline timeline = new RoundTimeline();
            jsc.sc().addSparkListener(timeline);
            try (SparkTrainer t = new SparkTrainer(jsc.parallelize(rows, 2), m, cfg)) {
                t.fit(WARM_UP);
                timeline.timed(true);
                long cpu0 = cpuNanos();
                double[] ms = new double[30];
                for (int r = 0; r < ms.length; r++) {
                    long start = System.currentTimeMillis();
                    ms[r] = t.round().seconds() * 1e3;
                    timeline.round(start, System.currentTimeMillis());
                }
                double cpuMs = (cpuNanos() - cpu0) / 1e6 / ms.length;
                timeline.timed(false);
                Arrays.sort(ms);
                System.out.printf("1,001,000 parameters, local[2], 2 partitions x 1 row %s: round median %.1f ms, p90 %.1f"
                        + " (min %.1f, max %.1f); process CPU %.1f ms per round%n", Arrays.toString(args), ms[ms.length / 2],
                        ms[ms.length * 9 / 10], ms[0], ms[ms.length - 1], cpuMs);
                System.out.println("all rounds (ms, sorted): " + Arrays.toString(Arrays.stream(ms).map(Math::rint).toArray()));
            }
            jsc.close(); // drains the listener bus, so the timeline is complete
            timeline.print();
            System.out.printf("jgrad's share without Spark (flatten, load, gradients, setGrads, step): median %.1f ms%n",
                    jgradShare(m));
        }
    }

    /**
     * CPU time of all this JVM's threads (driver, scheduler, executor tasks, GC): unlike wall time,
     * it hardly grows when other processes load the machine, so it compares versions on a busy host.
     */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The flat-vector work a round does on driver and executor, in this thread, no Spark: median of 20 after 40 warm-up runs. */
    private static double jgradShare(Module m) {
        List<Tensor> params = m.parameters();
        SGD opt = new SGD(params, 0.01);
        double[] ms = new double[60];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            float[] w = Flat.weights(params);
            Flat.load(params, w);
            float[] g = Flat.grads(params, 1f);
            Flat.setGrads(params, g);
            opt.step();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double[] tail = Arrays.copyOfRange(ms, 40, ms.length);
        Arrays.sort(tail);
        return tail[tail.length / 2];
    }
}
