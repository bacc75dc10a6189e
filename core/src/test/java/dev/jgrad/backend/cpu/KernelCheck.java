package dev.jgrad.backend.cpu;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.nn.Functional;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;

/**
 * A command-line check of the cpu GEMM and transcendental kernels against the reference backend,
 * for {@link NarrowVectorTest} to run in JVMs with narrower vectors or fewer registers than the
 * test JVM's. Prints the vector width and GEMM shape, then one line per failure; exits 1 on any.
 * Each check runs twice, so that the second pass meets the JIT-compiled (intrinsic) kernels.
 */
public final class KernelCheck {
    /**
     * {m, n, k}: every kernel and edge of the dispatch: direct products (8-, 4- and 1-row blocks),
     * row dots (A·Wᵀ, fewer rows than a tile or C narrower than one; 4×4, 4×2 and 4×1 blocks, a
     * depth tail), packed products with edge
     * tiles, more rows than an A block, deeper than a slice (a shallow last slice: the 6-row kernel's
     * A slivers change layout), wider than a B panel, threads sharing a packed A (column panels;
     * several B panels; depth slices in several groups) or a packed B (row blocks of an A slice over 1 MiB, or of too narrow a C;
     * ragged, several panels and slices, panels in several groups), column and row splits across threads, B read in place (row-major, whole slivers, deep, small), and
     * matrix-vector products; then a linear layer's two gradient products.
     */
    private static final int[][] GEMMS = {{13, 33, 9}, {21, 17, 9}, {8, 16, 9}, {97, 131, 45}, {6, 32, 256},
        {7, 33, 257}, {1, 400, 300}, {3, 130, 300}, {300, 1, 100}, {130, 45, 1100}, {9, 2100, 20},
        {64, 256, 300}, {300, 70, 100}, {70, 129, 300}, {20, 64, 800}, {70, 64, 800}, {22, 13, 70}, {7, 3, 100}, {50, 64, 1100},
        {40, 2100, 300}, {300, 70, 1100}, {260, 1040, 1024}, {200, 130, 5220}, {264, 530, 2100}};

    private KernelCheck() {
    }

    /** @param args ignored */
    public static void main(String[] args) {
        System.out.println("vectors " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit; F32 GEMM "
                + GemmShape.F32.describe() + "; F64 GEMM " + GemmShape.F64.describe());
        List<String> failures = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            for (int[] s : GEMMS) {
                for (DType dt : List.of(DType.F32, DType.F64)) {
                    for (int layout = 0; layout < 4; layout++) {
                        gemm(s[0], s[1], s[2], dt, layout, failures);
                    }
                }
            }
            unary(failures);
            linearGradients(DType.F32, failures);
            linearGradients(DType.F64, failures);
        }
        failures.stream().distinct().limit(40).forEach(System.out::println);
        System.out.println(failures.isEmpty() ? "OK" : failures.size() + " FAILURES");
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /** layout bit 0: A given transposed; bit 1: B given transposed (strided views, as in backward). */
    private static void gemm(int m, int n, int k, DType dt, int layout, List<String> failures) {
        SplittableRandom rng = new SplittableRandom(m * 31L + n * 7L + k + layout);
        Tensor a = (layout & 1) == 0 ? random(rng, dt, m, k) : random(rng, dt, k, m).transpose(0, 1);
        Tensor b = (layout & 2) == 0 ? random(rng, dt, k, n) : random(rng, dt, n, k).transpose(0, 1);
        double[] want = a.to("reference").matmul(b.to("reference")).toDoubleArray();
        double[] got = a.matmul(b).toDoubleArray();
        double tol = (dt == DType.F32 ? 1e-5 : 1e-13) * Math.sqrt(k) * 4;
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) {
                failures.add("gemm " + m + "x" + k + " @ " + k + "x" + n + " " + dt + " layout " + layout + ": C["
                        + i / n + ", " + i % n + "] = " + got[i] + ", expected " + want[i]);
                return;
            }
        }
    }

    /** A linear layer's {@code dx} and {@code dW}, which the cpu backend on two threads computes side by side. */
    private static void linearGradients(DType dt, List<String> failures) {
        SplittableRandom rng = new SplittableRandom(17);
        Tensor x = random(rng, dt, 64, 128), w = random(rng, dt, 256, 128), r = random(rng, dt, 64, 256);
        double[][] got = linearGrads(x, w, r);
        double[][] want = linearGrads(x.to("reference"), w.to("reference"), r.to("reference"));
        double tol = (dt == DType.F32 ? 1e-5 : 1e-13) * 16 * 4;
        for (int g = 0; g < 2; g++) {
            for (int i = 0; i < want[g].length; i++) {
                if (!(Math.abs(got[g][i] - want[g][i]) <= tol * Math.max(1, Math.abs(want[g][i])))) {
                    failures.add("linear " + dt + (g == 0 ? " dx" : " dW") + "[" + i + "] = " + got[g][i] + ", expected "
                            + want[g][i]);
                    break;
                }
            }
        }
    }

    private static double[][] linearGrads(Tensor x0, Tensor w0, Tensor r) {
        Tensor x = x0.detach().requiresGrad(true), w = w0.detach().requiresGrad(true);
        Functional.linear(x, w, null, Functional.Activation.NONE).mul(r).sum().backward();
        return new double[][] {x.grad().toDoubleArray(), w.grad().toDoubleArray()};
    }

    private static Tensor random(SplittableRandom rng, DType dt, int... shape) {
        return Tensor.randn(rng, dt, shape).to("cpu");
    }

    /**
     * The vectorised F32 transcendentals, within the ulps CpuKernelsTest allows, on an odd length
     * (a scalar tail), with NaN, infinities and signed zeros.
     */
    private static void unary(List<String> failures) {
        float[] xs = new float[12003];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -24f + i * 0.004f;
        }
        xs[7] = Float.NaN;
        xs[8] = Float.POSITIVE_INFINITY;
        xs[9] = Float.NEGATIVE_INFINITY;
        xs[10] = 0f;
        xs[11] = -0f;
        xs[12] = 1e-30f;
        check(xs, Tensor::exp, Math::exp, 4, 0, "exp", failures);
        check(xs, Tensor::tanh, Math::tanh, 4, 0, "tanh", failures);
        check(xs, Tensor::sigmoid, v -> 1 / (1 + Math.exp(-v)), 4, 0, "sigmoid", failures);
        // Below F32's normal range (x < -13) GELU may lose its subnormal bits.
        check(xs, Tensor::gelu, v -> UnaryOp.GELU.apply(v, 0), 8, Float.MIN_NORMAL, "gelu", failures);
        // erf keeps its relative accuracy near 0 too (a polynomial of its own there, not 1 - erfc).
        check(xs, Tensor::erf, v -> UnaryOp.ERF.apply(v, 0), 4, 0, "erf", failures);
    }

    private static void check(float[] in, UnaryOperator<Tensor> op, DoubleUnaryOperator exact, int maxUlps,
                              float maxAbs, String name, List<String> failures) {
        float[] out = op.apply(Tensor.of(in, in.length).to("cpu")).toFloatArray();
        for (int i = 0; i < in.length; i++) {
            float want = (float) exact.applyAsDouble(in[i]);
            boolean same = out[i] == want || (Float.isNaN(want) && Float.isNaN(out[i]));
            float err = Math.abs(out[i] - want);
            if (!same && !(err / Math.ulp(want) <= maxUlps) && !(err <= maxAbs)) {
                failures.add(name + "(" + in[i] + ") = " + out[i] + ", expected " + want);
                return;
            }
        }
    }
}
