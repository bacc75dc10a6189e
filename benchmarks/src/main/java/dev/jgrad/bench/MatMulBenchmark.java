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
 * F32 matmul {@code [m, k] @ [k, n]} through the Tensor API (output allocation included). Shapes
 * are {@code MxKxN}: squares and the layer shapes of the MLP benchmarks. {@code threads} sets
 * {@code jgrad.threads} before any kernel class loads (each parameter set runs in its own fork).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MatMulBenchmark {
    /** Problem shape MxKxN. */
    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
        "64x784x128", "64x128x10", "256x1024x2048", "256x2048x2048", "256x2048x1024"})
    public String shape;
    /** Device name. */
    @Param({"cpu", "opencl"})
    public String device;
    /** Kernel threads. */
    @Param({"1", "2"})
    public String threads;

    private Tensor a;
    private Tensor b;

    /** Builds the operands on the device. */
    @Setup
    public void setup() {
        System.setProperty("jgrad.threads", threads);
        int[] s = dims(shape);
        a = Tensor.randn(new SplittableRandom(1), s[0], s[1]).to(device);
        b = Tensor.randn(new SplittableRandom(2), s[1], s[2]).to(device);
    }

    /** @return m, k, n parsed from {@code MxKxN} */
    public static int[] dims(String shape) {
        String[] p = shape.split("x");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    /** @return the product (forces completion on asynchronous devices) */
    @Benchmark
    public Object matmul() {
        try (var g = NoGrad.enter()) {
            Tensor c = a.matmul(b);
            if (!device.equals("cpu") && !device.equals("reference")) {
                c.narrow(0, 0, 1).narrow(1, 0, 1).item();
            }
            return c;
        }
    }
}
