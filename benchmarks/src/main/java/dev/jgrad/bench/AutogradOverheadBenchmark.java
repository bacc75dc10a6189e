package dev.jgrad.bench;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
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
 * The cost autograd adds to one tiny op: {@code recordAndBackward} runs {@code y = x * 2} with
 * recording and back-propagates through it; {@code opOnly} runs the same op under NoGrad. The
 * difference is the recording + backward overhead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AutogradOverheadBenchmark {
    /** Device name. */
    @Param({"cpu", "opencl"})
    public String device;

    private Tensor x;
    private Tensor seed;

    /** Builds a one-element leaf. */
    @Setup
    public void setup() {
        x = Tensor.of(new float[] {1.5f}).to(device).requiresGrad(true);
        seed = Tensor.scalar(1).to(device);
    }

    /** @return the leaf's gradient after one recorded op and its backward */
    @Benchmark
    public Object recordAndBackward() {
        x.zeroGrad();
        x.mul(2.0).backward(seed);
        return x.grad();
    }

    /** @return the op alone, unrecorded */
    @Benchmark
    public Object opOnly() {
        try (var g = NoGrad.enter()) {
            return x.mul(2.0);
        }
    }
}
