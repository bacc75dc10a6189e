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

/** exp, tanh, sigmoid and gelu on 16M floats, beside a scalar {@code Math.exp} loop as the baseline. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ActivationBenchmark {
    /** Elements. */
    @Param({"16777216"})
    public int n;
    /** Device name. */
    @Param({"cpu", "opencl"})
    public String device;
    /** Which activation. */
    @Param({"exp", "tanh", "sigmoid", "gelu"})
    public String op;

    private Tensor x;
    private float[] raw;
    private float[] rawOut;

    /** Builds the input. */
    @Setup
    public void setup() {
        x = Tensor.randn(new SplittableRandom(1), n).to(device);
        raw = x.toFloatArray();
        rawOut = new float[n];
    }

    /** @return the activation, allocated */
    @Benchmark
    public Object activation() {
        try (var g = NoGrad.enter()) {
            Tensor y = switch (op) {
                case "exp" -> x.exp();
                case "tanh" -> x.tanh();
                case "sigmoid" -> x.sigmoid();
                default -> x.gelu();
            };
            if (!device.equals("cpu") && !device.equals("reference")) {
                y.narrow(0, 0, 1).item();
            }
            return y;
        }
    }

    /** @return the baseline: a plain loop of {@code (float) Math.exp(x)} into a preallocated array */
    @Benchmark
    public float[] scalarExpLoop() {
        float[] in = raw, out = rawOut;
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) Math.exp(in[i]);
        }
        return out;
    }
}
