package dev.jgrad.bench;

import dev.jgrad.MemoryScope;
import dev.jgrad.Tensor;
import dev.jgrad.nn.BatchNorm2d;
import dev.jgrad.nn.GRU;
import dev.jgrad.nn.LSTM;
import dev.jgrad.nn.LayerNorm;
import dev.jgrad.nn.Module;
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
 * Forward + backward of the layer targets, timed beside PyTorch by
 * {@code benchmarks/compare/compare.py}: BatchNorm2d(64) on {@code [64, 64, 28, 28]} (training
 * mode), LayerNorm(1024) on {@code [256, 1024]}, and a one-layer LSTM (input 64, hidden 128) over
 * 50 steps of a batch of 32, and a GRU of the same shape. Each op sums the output and back-propagates into the input and
 * every parameter. {@link #forwardBackwardInScope} runs the same step inside a {@link MemoryScope}, as a training
 * loop that recycles its step's memory does: the outputs and temporaries the scope releases come back, still in
 * cache, for the next step's outputs instead of new arrays the JVM zero-fills.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LayerBenchmark {
    /** Which layer. */
    @Param({"batchNorm2d", "layerNorm", "lstm", "gru"})
    public String layer;

    /** Device name. */
    @Param({"cpu"})
    public String device;

    private Module module;
    private Tensor x;

    /** Builds the layer and its input. */
    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor.manualSeed(1);
        switch (layer) {
            case "batchNorm2d" -> {
                module = new BatchNorm2d(64);
                x = Tensor.randn(rng, 64, 64, 28, 28);
            }
            case "layerNorm" -> {
                module = new LayerNorm(1024);
                x = Tensor.randn(rng, 256, 1024);
            }
            case "lstm" -> {
                module = new LSTM(64, 128);
                x = Tensor.randn(rng, 50, 32, 64);
            }
            case "gru" -> {
                module = new GRU(64, 128);
                x = Tensor.randn(rng, 50, 32, 64);
            }
            default -> throw new IllegalArgumentException("layer " + layer);
        }
        module.to(device);
        x = x.to(device).requiresGrad(true);
    }

    /**
     * @return the input gradient after forward + backward; on an asynchronous device one element is
     * read back to wait for it, on the host nothing is copied (PyTorch's step returns {@code numel()})
     */
    @Benchmark
    public Object forwardBackward() {
        module.zeroGrad();
        x.zeroGrad();
        module.forward(x).sum().backward();
        Tensor g = x.grad();
        if (!device.equals("cpu") && !device.equals("reference")) {
            g.reshape(-1).narrow(0, 0, 1).item();
        }
        return g;
    }

    /** @return the input gradient after forward + backward inside a scope (the gradient outlives it, as a leaf's) */
    @Benchmark
    public Object forwardBackwardInScope() {
        try (var scope = MemoryScope.open()) {
            return forwardBackward();
        }
    }
}
