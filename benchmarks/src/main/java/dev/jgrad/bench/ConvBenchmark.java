package dev.jgrad.bench;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.nn.Functional;
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
 * F32 {@code conv2d} (stride 1) forward, and each backward pass alone: {@code backwardData} runs
 * the recorded graph's backward for the input gradient ({@code Wᵀ·dY} and col2im), {@code
 * backwardWeight} for the weight and bias gradients ({@code dY·colsᵀ}), each on a graph built once
 * in the setup and kept ({@code retainGraph}). Every pass is {@code 2·N·out·oH·oW·C·k²} flops;
 * {@link Report} prints GFLOP/s. Shapes {@code N-C-H-W:out-k-pad}: the two layers of the CNN
 * benchmark ({@link CnnTrainStepBenchmark}) and a wider one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConvBenchmark {
    /** Input and layer shape. */
    @Param({"64-1-28-28:32-3-1", "64-32-14-14:64-3-1", "32-64-28-28:128-3-1"})
    public String shape;
    /** Which pass is timed. */
    @Param({"forward", "backwardData", "backwardWeight"})
    public String pass;
    /** Device name. */
    @Param({"cpu"})
    public String device;

    private Tensor x;
    private Tensor w;
    private Tensor b;
    private int padding;
    private Tensor y;
    private Tensor gradOut;

    /** Builds the operands and, for a backward pass, the graph it replays. */
    @Setup
    public void setup() {
        int[] d = dims(shape);
        padding = d[6];
        SplittableRandom rng = new SplittableRandom(1);
        x = Tensor.randn(rng, d[0], d[1], d[2], d[3]).to(device);
        w = Tensor.randn(rng, d[4], d[1], d[5], d[5]).mul(0.1).to(device);
        b = Tensor.zeros(d[4]).to(device);
        if (pass.equals("backwardData")) {
            x.requiresGrad(true);
        } else if (pass.equals("backwardWeight")) {
            w.requiresGrad(true);
            b.requiresGrad(true);
        }
        if (!pass.equals("forward")) {
            y = Functional.conv2d(x, w, b, 1, padding, 1, 1);
            gradOut = Tensor.randn(rng, y.shape()).to(device);
        }
    }

    /** @return the result's element count (so the work cannot be dropped) */
    @Benchmark
    public int run() {
        if (pass.equals("forward")) {
            try (var g = NoGrad.enter()) {
                return Functional.conv2d(x, w, b, 1, padding, 1, 1).numel();
            }
        }
        y.backward(gradOut, true);
        Tensor leaf = pass.equals("backwardData") ? x : w;
        int n = leaf.grad().numel();
        leaf.zeroGrad();
        if (b.requiresGrad()) {
            b.zeroGrad();
        }
        return n;
    }

    /** @return {N, C, H, W, out, k, pad} */
    static int[] dims(String shape) {
        String[] io = shape.split(":");
        String[] in = io[0].split("-"), layer = io[1].split("-");
        return new int[] {Integer.parseInt(in[0]), Integer.parseInt(in[1]), Integer.parseInt(in[2]),
            Integer.parseInt(in[3]), Integer.parseInt(layer[0]), Integer.parseInt(layer[1]), Integer.parseInt(layer[2])};
    }

    /** @return multiply-adds times two of one pass (stride 1) */
    static double flops(String shape) {
        int[] d = dims(shape);
        int oh = d[2] + 2 * d[6] - d[5] + 1, ow = d[3] + 2 * d[6] - d[5] + 1;
        return 2.0 * d[0] * d[4] * oh * ow * d[1] * d[5] * d[5];
    }
}
