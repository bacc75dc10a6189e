package dev.jgrad.bench;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
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
 * add, mul and relu on 16M floats. {@code InPlace} variants write into an existing tensor (what an
 * optimizer or a fused training loop does), as {@code System.arraycopy} in {@link PeakBenchmark}
 * does; the others allocate the result, which the JVM zero-fills first. Traffic counted: add/mul
 * 12 bytes per element, relu 8.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ElementwiseBenchmark {
    /** Elements. */
    @Param({"16777216"})
    public int n;
    /** Device name. */
    @Param({"cpu", "opencl"})
    public String device;

    private Tensor x;
    private Tensor y;
    private Tensor out;
    private Tensor signs;
    private Tensor rectified;

    /** Builds the operands. */
    @Setup
    public void setup() {
        x = Tensor.randn(new SplittableRandom(1), n).to(device);
        y = Tensor.randn(new SplittableRandom(2), n).to(device);
        out = Tensor.zeros(n).to(device);
        signs = Tensor.rand(new SplittableRandom(3), n).gt(Tensor.full(0.5, 1)).mul(2).sub(1).to(device);
        rectified = Tensor.randn(new SplittableRandom(4), n).to(device);
    }

    /** @return x + y, allocated */
    @Benchmark
    public Object add() {
        try (var g = NoGrad.enter()) {
            return sync(x.add(y));
        }
    }

    /** @return x * y, allocated */
    @Benchmark
    public Object mul() {
        try (var g = NoGrad.enter()) {
            return sync(x.mul(y));
        }
    }

    /** @return relu(x), allocated */
    @Benchmark
    public Object relu() {
        try (var g = NoGrad.enter()) {
            return sync(x.relu());
        }
    }

    /** @return out = x, then out += y: measures the in-place add (one read-modify-write pass) */
    @Benchmark
    public Object addInPlace() {
        try (var g = NoGrad.enter()) {
            return sync(out.addInPlace(y));
        }
    }

    /** @return out *= signs: the in-place multiply (by ±1, so values stay normal over iterations) */
    @Benchmark
    public Object mulInPlace() {
        try (var g = NoGrad.enter()) {
            return sync(out.mulInPlace(signs));
        }
    }

    /** @return relu(rectified) in place (PyTorch's {@code relu_}) */
    @Benchmark
    public Object reluInPlace() {
        try (var g = NoGrad.enter()) {
            return sync(rectified.reluInPlace());
        }
    }

    private Object sync(Tensor t) {
        if (!device.equals("cpu") && !device.equals("reference")) {
            t.narrow(0, 0, 1).item();
        }
        return t;
    }
}
