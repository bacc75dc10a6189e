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

/** Reductions over a square F32 tensor ([4096, 4096]: 64 MiB read per call). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReductionBenchmark {
    /** Side of the square input. */
    @Param({"4096"})
    public int size;
    /** Device name. */
    @Param({"cpu", "opencl"})
    public String device;
    /** sumAll, sumRows (dim 1), sumCols (dim 0), maxRows, argmaxRows. */
    @Param({"sumAll", "sumRows", "sumCols", "maxRows", "argmaxRows"})
    public String op;

    private Tensor x;

    /** Builds the input. */
    @Setup
    public void setup() {
        x = Tensor.randn(new SplittableRandom(1), size, size).to(device);
    }

    /** @return the reduction */
    @Benchmark
    public Object reduce() {
        try (var g = NoGrad.enter()) {
            Tensor r = switch (op) {
                case "sumAll" -> x.sum();
                case "sumRows" -> x.sum(1, false);
                case "sumCols" -> x.sum(0, false);
                case "maxRows" -> x.max(1, false);
                default -> x.argmax(1);
            };
            return r.toDoubleArray();
        }
    }
}
