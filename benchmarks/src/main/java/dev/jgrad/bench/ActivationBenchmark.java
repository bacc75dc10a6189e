package dev.jgrad.bench;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.backend.Backend;
import dev.jgrad.backend.Backends;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.View;
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
 * exp, tanh, sigmoid and GELU: the jgrad kernel against a scalar loop of the same formula, on the
 * same data in the same run. {@link #kernel} and {@link #scalarLoop} both write into an output
 * allocated once, so that at 64K floats (L2-resident) they time arithmetic, not the JVM's zeroing
 * of a fresh array or memory bandwidth; at 16M floats the traffic joins in. {@link #activation} is
 * the user's call, {@code x.gelu()} etc., which allocates its result. For the ratio of a vector
 * kernel to the scalar loop, run one thread: {@code -jvmArgsAppend -Djgrad.threads=1}, and
 * {@code -XX:UseAVX=2} for the AVX2 path on an AVX-512 machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ActivationBenchmark {
    private static final double INV_SQRT2 = 0.7071067811865476;

    /** Elements: 64K floats (L2-resident) and 16M. */
    @Param({"65536", "16777216"})
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
    private Backend backend;
    private UnaryOp unary;
    private View in;
    private View out;

    /** Builds the input and the reused outputs; on the cpu, runs the kernel until C2 has compiled it. */
    @Setup
    public void setup() {
        x = Tensor.randn(new SplittableRandom(1), n).to(device);
        raw = x.toFloatArray();
        rawOut = new float[n];
        backend = Backends.get(device);
        unary = switch (op) {
            case "exp" -> UnaryOp.EXP;
            case "tanh" -> UnaryOp.TANH;
            case "sigmoid" -> UnaryOp.SIGMOID;
            case "gelu" -> UnaryOp.GELU;
            default -> throw new IllegalArgumentException("op must be exp, tanh, sigmoid or gelu, got " + op);
        };
        int[] shape = {n};
        in = View.contiguous(backend.upload(raw), shape);
        out = View.contiguous(backend.allocate(DType.F32, n), shape);
        if (device.equals("cpu")) {
            ActivationRatios.warm(this::kernel, () -> { }, n, 0);
        }
    }

    /** @return the activation, allocated ({@code x.gelu()} etc.) */
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

    /** @return the backend's unary kernel into an output allocated once */
    @Benchmark
    public Object kernel() {
        backend.unary(unary, 0, in, out);
        return out;
    }

    /** @return the same formula as a plain scalar loop into a preallocated array (the baseline) */
    @Benchmark
    public float[] scalarLoop() {
        float[] a = raw, o = rawOut;
        switch (op) {
            case "exp" -> {
                for (int i = 0; i < a.length; i++) {
                    o[i] = (float) Math.exp(a[i]);
                }
            }
            case "tanh" -> {
                for (int i = 0; i < a.length; i++) {
                    o[i] = (float) Math.tanh(a[i]);
                }
            }
            case "sigmoid" -> {
                for (int i = 0; i < a.length; i++) {
                    o[i] = (float) (1 / (1 + Math.exp(-a[i])));
                }
            }
            default -> {
                for (int i = 0; i < a.length; i++) {
                    o[i] = (float) (a[i] * 0.5 * erfc(-a[i] * INV_SQRT2));
                }
            }
        }
        return o;
    }

    /**
     * A good scalar erfc (Numerical Recipes' {@code erfcc}: {@code t exp(-z^2 + P(t))}, relative
     * error below 1.2e-7 everywhere), one exp and one division, as a C library's erff costs.
     */
    static double erfc(double x) {
        double z = Math.abs(x), t = 1 / (1 + 0.5 * z);
        double p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        double r = t * Math.exp(-z * z + p);
        return x >= 0 ? r : 2 - r;
    }
}
