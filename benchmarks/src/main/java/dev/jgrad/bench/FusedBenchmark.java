package dev.jgrad.bench;

import dev.jgrad.Tensor;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.internal.Internals;
import dev.jgrad.nn.Losses;
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
 * Whether the fused kernels pay: each pair runs the same computation composed of primitives and
 * fused, forward and backward, on a [256, 2048] layer output and [256, 1000] logits.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FusedBenchmark {
    /** Device name. */
    @Param({"cpu", "opencl"})
    public String device;

    private Tensor h;
    private Tensor bias;
    private Tensor logits;
    private Tensor labels;

    /** Builds the inputs. */
    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(1);
        h = Tensor.randn(rng, 256, 2048).to(device).requiresGrad(true);
        bias = Tensor.randn(rng, 2048).to(device).requiresGrad(true);
        logits = Tensor.randn(rng, 256, 1000).to(device).requiresGrad(true);
        long[] l = new long[256];
        for (int i = 0; i < l.length; i++) {
            l[i] = rng.nextInt(1000);
        }
        labels = Tensor.of(l, 256).to(device);
    }

    /** @return relu(h + b) as two ops, with backward */
    @Benchmark
    public Object biasReluComposed() {
        Tensor y = h.add(bias).relu();
        y.sum().backward();
        return sync(bias.grad());
    }

    /** @return relu(h + b) as one fused op, with backward */
    @Benchmark
    public Object biasReluFused() {
        Tensor y = Internals.bridge().biasActivation(h, bias, UnaryOp.RELU);
        y.sum().backward();
        return sync(bias.grad());
    }

    /** @return cross-entropy as log-softmax then NLL, with backward */
    @Benchmark
    public Object crossEntropyComposed() {
        Losses.nll(logits.logSoftmax(1), labels).backward();
        return sync(logits.grad());
    }

    /** @return cross-entropy with the fused gradient, with backward */
    @Benchmark
    public Object crossEntropyFused() {
        Losses.crossEntropy(logits, labels).backward();
        return sync(logits.grad());
    }

    private Object sync(Tensor g) {
        h.zeroGrad();
        bias.zeroGrad();
        logits.zeroGrad();
        return g.narrow(0, 0, 1).toFloatArray();
    }
}
