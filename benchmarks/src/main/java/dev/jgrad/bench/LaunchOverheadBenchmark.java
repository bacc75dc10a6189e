package dev.jgrad.bench;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-op cost of a tiny op (a 16-element add) on a device: {@code enqueue} issues 100 adds and
 * synchronises once, so the figure is the cost of launching one op; {@code roundTrip} adds and
 * reads the result back every time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LaunchOverheadBenchmark {
    /** Device name. */
    @Param({"cpu", "opencl"})
    public String device;

    private Tensor x;
    private Tensor y;

    /** Builds two tiny tensors. */
    @Setup
    public void setup() {
        x = Tensor.ones(16).to(device);
        y = Tensor.ones(16).to(device);
    }

    /** @return the last sum after 100 enqueued adds and one synchronising read */
    @Benchmark
    @OperationsPerInvocation(100)
    public double enqueue() {
        try (var g = NoGrad.enter()) {
            Tensor s = x;
            for (int i = 0; i < 100; i++) {
                s = x.add(y);
            }
            return s.narrow(0, 0, 1).item();
        }
    }

    /** @return one add read back to the host */
    @Benchmark
    public double roundTrip() {
        try (var g = NoGrad.enter()) {
            return x.add(y).narrow(0, 0, 1).item();
        }
    }
}
