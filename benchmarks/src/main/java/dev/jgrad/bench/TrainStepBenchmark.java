package dev.jgrad.bench;

import dev.jgrad.MemoryScope;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.nn.Functional;
import dev.jgrad.nn.Functional.Activation;
import dev.jgrad.nn.Losses;
import dev.jgrad.optim.Adam;
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
 * One F32 training step of an MLP: forward ({@code Functional.linear} layers with fused bias + ReLU,
 * cross-entropy on the last),
 * backward, and an SGD update (or an Adam step with {@code optimizer = adam}). Architecture
 * {@code a-b-...-z:batch}; the same network is timed in
 * PyTorch by {@code benchmarks/compare/compare.py}.
 *
 * <p>The setup trains for a few seconds before JMH's warm-up starts: a step runs dozens of
 * distinct vector kernels, and on two cores C2 needs about five seconds to compile them all, far
 * longer than the other benchmarks' one-second warm-up iterations (measured: 590 → 380 → 270 µs/op
 * over the first iterations of 784-128-10 without it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainStepBenchmark {
    private static final long PRE_WARM_NANOS = 6_000_000_000L;

    /** Layer widths and batch size. */
    @Param({"2-16-16-2:32", "784-128-10:64", "1024-2048-2048-1024:256"})
    public String mlp;
    /** Device name. */
    @Param({"cpu", "opencl"})
    public String device;
    /** The update: {@code sgd} (addInPlace, lr 0.01) or {@code adam} (dev.jgrad.optim.Adam, lr 1e-3). */
    @Param({"sgd"})
    public String optimizer;

    private final List<Tensor> weights = new ArrayList<>();
    private final List<Tensor> biases = new ArrayList<>();
    private Tensor input;
    private Tensor labels;
    private Adam adam;

    /** Builds the network and one batch, and trains until the step's kernels are compiled. */
    @Setup
    public void setup() {
        String[] parts = mlp.split(":");
        String[] w = parts[0].split("-");
        int batch = Integer.parseInt(parts[1]);
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i + 1 < w.length; i++) {
            int in = Integer.parseInt(w[i]), out = Integer.parseInt(w[i + 1]);
            weights.add(Tensor.randn(rng, out, in).mul(Math.sqrt(2.0 / in)).to(device).requiresGrad(true));
            biases.add(Tensor.zeros(out).to(device).requiresGrad(true));
        }
        int classes = Integer.parseInt(w[w.length - 1]);
        input = Tensor.randn(rng, batch, Integer.parseInt(w[0])).to(device);
        long[] l = new long[batch];
        for (int i = 0; i < batch; i++) {
            l[i] = rng.nextInt(classes);
        }
        labels = Tensor.of(l, batch).to(device);
        if (optimizer.equals("adam")) {
            List<Tensor> params = new ArrayList<>(weights);
            params.addAll(biases);
            adam = new Adam(params, 1e-3);
        }
        long until = System.nanoTime() + PRE_WARM_NANOS;
        while (System.nanoTime() < until) {
            step();
        }
    }

    /** @return the loss of this step */
    @Benchmark
    public double step() {
        Tensor h = input;
        for (int i = 0; i < weights.size(); i++) {
            boolean hidden = i + 1 < weights.size();
            h = Functional.linear(h, weights.get(i), biases.get(i), hidden ? Activation.RELU : Activation.NONE);
        }
        Tensor loss = Losses.crossEntropy(h, labels);
        loss.backward();
        if (adam != null) {
            adam.step();
            adam.zeroGrad();
            return loss.item();
        }
        try (var g = NoGrad.enter()) {
            for (int i = 0; i < weights.size(); i++) {
                update(weights.get(i));
                update(biases.get(i));
            }
        }
        return loss.item();
    }

    /**
     * @return the loss of this step, run in its own {@link MemoryScope} as {@code Trainer} runs it: the
     *     activations and the gradients' temporaries are released at its end and reused by the next step
     */
    @Benchmark
    public double stepInScope() {
        try (var scope = MemoryScope.open()) {
            return step();
        }
    }

    private static void update(Tensor p) {
        p.addInPlace(p.grad(), -0.01);
        p.zeroGrad();
    }
}
