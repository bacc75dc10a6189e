import dev.jgrad.DType;
import dev.jgrad.MemoryScope;
import dev.jgrad.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One product {@code [M, K] x [K, N]} timed for SECONDS after a warm-up, printing the best wall time
 * and the best CPU time of the calling thread (on a shared machine the latter is the steadier
 * figure for one thread), then the mean, median and 90th percentile of the wall times, which show
 * the slow calls that the best leaves out (np_gemm.py prints the same). Run from the repository root after a build, e.g.
 * {@code java --add-modules jdk.incubator.vector -Djgrad.threads=1 -cp core/target/classes
 * benchmarks/compare/GemmTiming.java 1024 1024 1024 4 [wt|ta] [scope]}; {@code wt} passes B as the transpose
 * of an [N, K] matrix (a linear layer's {@code x·Wᵀ}), {@code ta} A as the transpose of a [K, M] one
 * (its weight gradient's {@code dYᵀ·X}). With {@code scope} each product runs in its own
 * {@link MemoryScope}, as {@code Trainer} runs a step, so its output array is the previous product's,
 * handed back unfilled, where a new array costs the JVM a zero-filling pass first (NumPy's output
 * comes from malloc, which reuses a freed block of that size unfilled too). Used by gemm-same-run.sh.
 */
public class GemmTiming {
    public static void main(String[] a) {
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        int m = Integer.parseInt(a[0]), k = Integer.parseInt(a[1]), n = Integer.parseInt(a[2]);
        List<String> opts = List.of(a).subList(4, a.length);
        boolean wt = opts.contains("wt"), ta = opts.contains("ta"), scope = opts.contains("scope");
        Tensor x = ta ? Tensor.randn(new SplittableRandom(1), DType.F32, k, m).to("cpu").transpose(0, 1)
                : Tensor.randn(new SplittableRandom(1), DType.F32, m, k).to("cpu");
        Tensor y = wt ? Tensor.randn(new SplittableRandom(2), DType.F32, n, k).to("cpu").transpose(0, 1)
                : Tensor.randn(new SplittableRandom(2), DType.F32, k, n).to("cpu");
        // Until C2 compiles the kernels the Vector API runs as boxed Java: warm up on small products.
        Tensor wa = Tensor.randn(new SplittableRandom(3), DType.F32, 192, 192).to("cpu");
        for (int w = 0; w < 40; w++) {
            wa.matmul(wa);
            wa.matmul(wa.transpose(0, 1));
        }
        long end = System.nanoTime() + (long) (Double.parseDouble(a[3]) * 1e9);
        double bestWall = Double.MAX_VALUE, bestCpu = Double.MAX_VALUE;
        int it = 0;
        List<Long> walls = new ArrayList<>();
        while (System.nanoTime() < end || it < 5) {
            long c0 = tm.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            if (scope) {
                try (var s = MemoryScope.open()) {
                    x.matmul(y);
                }
            } else {
                x.matmul(y);
            }
            long t1 = System.nanoTime(), c1 = tm.getCurrentThreadCpuTime();
            if (it++ >= 3) {
                walls.add(t1 - t0);
                bestWall = Math.min(bestWall, t1 - t0);
                bestCpu = Math.min(bestCpu, c1 - c0);
            }
        }
        double flops = 2.0 * m * n * k;
        double mean = walls.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
        System.out.printf("jgrad %dx%dx%d %s%s wall %.3f ms (%.1f GF/s) cpu %.3f ms (%.1f GF/s) %d it, mean wall %.3f ms,"
                + " median %.3f, p90 %.3f%n", m, k, n, wt ? "wt" : ta ? "ta" : "", scope ? " scope" : "", bestWall / 1e6,
                flops / bestWall, bestCpu / 1e6, flops / bestCpu, it, mean, quantile(walls, 0.5), quantile(walls, 0.9));
    }

    /** @return the q-quantile of the times, in ms */
    private static double quantile(List<Long> times, double q) {
        long[] t = times.stream().mapToLong(Long::longValue).sorted().toArray();
        return t[(int) Math.min(t.length - 1, Math.round(q * (t.length - 1)))] / 1e6;
    }
}
