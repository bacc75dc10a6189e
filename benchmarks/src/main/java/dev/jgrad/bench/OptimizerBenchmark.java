package dev.jgrad.bench;

import dev.jgrad.Tensor;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One optimizer step (the fused update kernels) over F32 parameters whose gradients are already
 * there: {@code layout} is {@code count x elements}. An Adam step moves 28 bytes per element (reads
 * p, g, m, v; writes p, m, v), which the report compares with {@code System.arraycopy}'s bandwidth
 * from the same run; {@code 200x1000} against {@code 1x200000} gives the cost per parameter of the
 * multi-tensor path. PyTorch's figures: benchmarks/compare/optim_torch.py.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OptimizerBenchmark {
    /**
     * The update kernels reach C2 only after thousands of calls, and C2 takes seconds to compile
     * them on a loaded two-core machine; before that one 200x1000 step ran 5-10x slower. So the setup
     * steps for this long before JMH's warm-up, as TrainStepBenchmark does.
     */
    private static final long PRE_WARM_NANOS = 6_000_000_000L;
    /** {@code count x elements} of the parameters. */
    @Param({"1x10000000", "200x1000", "1x200000"})
    public String layout;
    /** adam or sgd (momentum 0.9). */
    @Param({"adam"})
    public String optimizer;
    /** Device name. */
    @Param({"cpu"})
    public String device;

    private Optimizer opt;

    /** @return the total element count of a layout */
    static long elements(String layout) {
        String[] p = layout.split("x");
        return Long.parseLong(p[0]) * Long.parseLong(p[1]);
    }

    /** Builds the parameters, gives each a gradient (backward of sum(p * c) leaves grad = c), pre-warms. */
    @Setup
    public void setup() {
        String[] p = layout.split("x");
        int count = Integer.parseInt(p[0]), n = Integer.parseInt(p[1]);
        SplittableRandom rng = new SplittableRandom(1);
        List<Tensor> params = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Tensor w = Tensor.randn(rng, n).mul(0.1).to(device).requiresGrad(true);
            w.mul(Tensor.randn(rng, n).to(device)).sum().backward();
            params.add(w);
        }
        opt = optimizer.equals("adam") ? new Adam(params, 1e-3) : new SGD(params, 1e-3, 0.9, 0, 0, false);
        long until = System.nanoTime() + PRE_WARM_NANOS;
        while (System.nanoTime() < until) {
            opt.step();
        }
    }

    /** One step of every parameter. */
    @Benchmark
    public void step() {
        opt.step();
    }
}
