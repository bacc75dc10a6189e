package dev.jgrad.bench;

import dev.jgrad.MemoryScope;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.nn.Functional;
import dev.jgrad.nn.Functional.Activation;
import dev.jgrad.nn.Losses;
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
 * One F32 training step of the small CNN of issue 10 on a batch of 64 1×28×28 images: Conv2d
 * 1→32 3×3 pad 1, ReLU, MaxPool 2, Conv2d 32→64 3×3 pad 1, ReLU, MaxPool 2, Flatten, Linear
 * 3136→128, ReLU, Linear 128→10, cross-entropy; backward; SGD. The same network is timed in
 * PyTorch by {@code benchmarks/compare/compare.py} ({@code train cnn}). Like
 * {@link TrainStepBenchmark} it trains for a few seconds before JMH's warm-up so that C2 has
 * compiled the step's kernels (and at least 40 steps). {@link #stepInScope} runs the same step in a
 * {@link MemoryScope}, as {@code Trainer} does: the step's activations and temporaries are released
 * at its end and their arrays reused by the next step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CnnTrainStepBenchmark {
    private static final long PRE_WARM_NANOS = 6_000_000_000L;
    /**
     * At least this many steps too: on a loaded machine the first steps take seconds each (C2 is
     * queued), so a time budget alone can end before the kernels are compiled.
     */
    private static final int PRE_WARM_STEPS = 40;

    /** Device name. */
    @Param({"cpu"})
    public String device;

    private Tensor w1, b1, w2, b2, w3, b3, w4, b4;
    private List<Tensor> params;
    private Tensor input;
    private Tensor labels;

    /** Builds the network (He-scaled normal weights) and one batch, and trains until compiled. */
    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(1);
        w1 = param(Tensor.randn(rng, 32, 1, 3, 3).mul(Math.sqrt(2.0 / 9)));
        b1 = param(Tensor.zeros(32));
        w2 = param(Tensor.randn(rng, 64, 32, 3, 3).mul(Math.sqrt(2.0 / 288)));
        b2 = param(Tensor.zeros(64));
        w3 = param(Tensor.randn(rng, 128, 3136).mul(Math.sqrt(2.0 / 3136)));
        b3 = param(Tensor.zeros(128));
        w4 = param(Tensor.randn(rng, 10, 128).mul(Math.sqrt(2.0 / 128)));
        b4 = param(Tensor.zeros(10));
        params = List.of(w1, b1, w2, b2, w3, b3, w4, b4);
        input = Tensor.randn(rng, 64, 1, 28, 28).to(device);
        long[] l = new long[64];
        for (int i = 0; i < l.length; i++) {
            l[i] = rng.nextInt(10);
        }
        labels = Tensor.of(l, 64).to(device);
        long until = System.nanoTime() + PRE_WARM_NANOS;
        for (int i = 0; i < PRE_WARM_STEPS || System.nanoTime() < until; i++) {
            step();
        }
    }

    private Tensor param(Tensor t) {
        return t.to(device).requiresGrad(true);
    }

    /** @return the loss of this step */
    @Benchmark
    public double step() {
        Tensor h = Functional.maxPool2d(Functional.conv2d(input, w1, b1, 1, 1, 1, 1).relu(), 2);
        h = Functional.maxPool2d(Functional.conv2d(h, w2, b2, 1, 1, 1, 1).relu(), 2);
        h = Functional.linear(h.reshape(64, 3136), w3, b3, Activation.RELU);
        Tensor loss = Losses.crossEntropy(Functional.linear(h, w4, b4, Activation.NONE), labels);
        loss.backward();
        try (var g = NoGrad.enter()) {
            for (Tensor p : params) {
                p.addInPlace(p.grad(), -0.01);
                p.zeroGrad();
            }
        }
        return loss.item();
    }

    /** @return the loss of this step, run in its own {@link MemoryScope} */
    @Benchmark
    public double stepInScope() {
        try (var scope = MemoryScope.open()) {
            return step();
        }
    }
}
