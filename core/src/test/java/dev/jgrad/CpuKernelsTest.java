package dev.jgrad;

import static dev.jgrad.conformance.BackendConformanceTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.NoGrad;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What the table-driven kit cannot reach on {@code cpu}: the packed GEMM (the table's products are
 * small enough for the direct kernel), multithreaded splits, transcendental accuracy in ulps, the
 * drift of long F32 sums, and the fallback when the Vector API module is missing.
 */
class CpuKernelsTest {

    private static Tensor random(SplittableRandom rng, DType dt, int... shape) {
        return Tensor.randn(rng, dt, shape).to("cpu");
    }

    @TestFactory
    Stream<DynamicTest> packedGemmMatchesReference() {
        int[][] shapes = {{97, 131, 45}, {6, 32, 256}, {7, 33, 257}, {128, 128, 128}, {300, 70, 600}, {50, 1000, 40},
            {70, 129, 300}, {130, 45, 1100}, {19, 40, 2100}, {64, 256, 1100},
            // fewer rows than the micro-kernel: matrix-vector products and small batches (row dots for A·Wᵀ)
            {1, 400, 300}, {3, 130, 300}, {7, 257, 70},
            // matrix-vector products, with A also column-major (computed as a row of Bᵀ·Aᵀ)
            {300, 1, 100}, {5, 1, 3}};
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : shapes) {
            for (DType dt : List.of(DType.F32, DType.F64)) {
                for (int layout = 0; layout < 4; layout++) {
                    int l = layout;
                    String name = s[0] + "x" + s[2] + " @ " + s[2] + "x" + s[1] + " " + dt + " layout " + l;
                    tests.add(DynamicTest.dynamicTest(name, () -> compareGemm(s[0], s[1], s[2], dt, l)));
                }
            }
        }
        return tests.stream();
    }

    /**
     * The direct (unpacked) kernel, in every layout: row counts that use its 8-, 4- and 1-row
     * blocks, column counts below, at and past one vector, and narrow B whose masked loads would
     * run past the end of its array (copied first, like a transposed B).
     */
    @TestFactory
    Stream<DynamicTest> directGemmMatchesReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int m : new int[] {1, 3, 7, 8, 13, 21}) {
            for (int n : new int[] {2, 16, 17, 33}) {
                for (DType dt : List.of(DType.F32, DType.F64)) {
                    for (int layout = 0; layout < 4; layout++) {
                        int mm = m, nn = n, l = layout;
                        tests.add(DynamicTest.dynamicTest(m + "x9 @ 9x" + n + " " + dt + " layout " + l,
                                () -> compareGemm(mm, nn, 9, dt, l)));
                    }
                }
            }
        }
        return tests.stream();
    }

    /**
     * layout bit 0: A given transposed; bit 1: B given transposed (both as strided views). Depths
     * beyond one packed slice (1100, 2100) exercise the accumulating passes and their edge tiles;
     * products of 2M+ multiply-adds with 128+ columns run on shared packed panels across threads.
     */
    private static void compareGemm(int m, int n, int k, DType dt, int layout) {
        SplittableRandom rng = new SplittableRandom(m * 31L + n * 7L + k + layout);
        Tensor a = (layout & 1) == 0 ? random(rng, dt, m, k) : random(rng, dt, k, m).transpose(0, 1);
        Tensor b = (layout & 2) == 0 ? random(rng, dt, k, n) : random(rng, dt, n, k).transpose(0, 1);
        double[] expected = a.to("reference").matmul(b.to("reference")).toDoubleArray();
        double tol = dt == DType.F32 ? 1e-4 : 1e-11;
        assertClose(expected, a.matmul(b).toDoubleArray(), tol, "gemm");
    }

    @Test
    void batchedAndBroadcastGemm() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor a = random(rng, DType.F32, 3, 1, 70, 50);
        Tensor b = random(rng, DType.F32, 4, 50, 90);
        double[] expected = a.to("reference").matmul(b.to("reference")).toDoubleArray();
        assertClose(expected, a.matmul(b).toDoubleArray(), 1e-4, "batched gemm");
    }

    @Test
    void gemmGradientsMatchReference() {
        SplittableRandom rng = new SplittableRandom(4);
        Tensor a = random(rng, DType.F32, 120, 80).requiresGrad(true);
        Tensor b = random(rng, DType.F32, 80, 100).requiresGrad(true);
        Tensor ar = a.detach().to("reference").requiresGrad(true);
        Tensor br = b.detach().to("reference").requiresGrad(true);
        a.matmul(b).tanh().sum().backward();
        ar.matmul(br).tanh().sum().backward();
        assertClose(ar.grad().toDoubleArray(), a.grad().toDoubleArray(), 1e-4, "dA");
        assertClose(br.grad().toDoubleArray(), b.grad().toDoubleArray(), 1e-4, "dB");
    }

    @Test
    void largeElementwiseOpsSplitAcrossThreadsCorrectly() {
        int n = 1_000_003;
        SplittableRandom rng = new SplittableRandom(5);
        Tensor x = random(rng, DType.F32, n);
        Tensor y = random(rng, DType.F32, n);
        float[] xs = x.toFloatArray(), ys = y.toFloatArray();
        float[] sum = x.add(y).toFloatArray();
        float[] relu = x.relu().toFloatArray();
        for (int i = 0; i < n; i++) {
            assertEquals(xs[i] + ys[i], sum[i], 0f);
            assertEquals(Math.max(xs[i], 0f), relu[i], 0f);
        }
    }

    @Test
    void columnBroadcastsRoundAsTheReference() {
        SplittableRandom rng = new SplittableRandom(9);
        Tensor x = random(rng, DType.F32, 30, 70);
        Tensor col = random(rng, DType.F32, 30, 1);
        Tensor xr = x.to("reference"), cr = col.to("reference");
        assertArrayEquals(xr.add(cr).toFloatArray(), x.add(col).toFloatArray(), "add");
        assertArrayEquals(xr.sub(cr).toFloatArray(), x.sub(col).toFloatArray(), "sub");
        assertArrayEquals(xr.mul(cr).toFloatArray(), x.mul(col).toFloatArray(), "mul");
        assertArrayEquals(xr.div(cr).toFloatArray(), x.div(col).toFloatArray(), "div");
        assertArrayEquals(xr.maximum(cr).toFloatArray(), x.maximum(col).toFloatArray(), "maximum");
    }

    @Test
    void reductionsOfATransposedMatrixMatchReference() {
        SplittableRandom rng = new SplittableRandom(8);
        Tensor x = random(rng, DType.F32, 70, 300).transpose(0, 1);
        Tensor ref = x.to("reference");
        for (int dim = 0; dim < 2; dim++) {
            assertClose(ref.sum(dim, false).toDoubleArray(), x.sum(dim, false).toDoubleArray(), 1e-4, "sum " + dim);
            assertClose(ref.max(dim, false).toDoubleArray(), x.max(dim, false).toDoubleArray(), 0, "max " + dim);
            assertArrayEquals(ref.argmax(dim).toLongArray(), x.argmax(dim).toLongArray(), "argmax " + dim);
        }
        assertEquals(ref.sum().item(), x.sum().item(), 1e-2, "sum of all");
    }

    @Test
    void largeReductionsSplitAcrossThreadsMatchReference() {
        int rows = 600, cols = 1001;
        SplittableRandom rng = new SplittableRandom(7);
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) Math.round(rng.nextGaussian() * 4) / 4;   // coarse values: many ties
        }
        data[5 * cols + 700] = Float.NaN;                                // NaN propagates, argmax finds it
        for (int j = 0; j < cols; j++) {
            data[9 * cols + j] = j == 3 ? -0f : j == 40 ? 0f : -1f;
        }
        Tensor x = Tensor.of(data, rows, cols).to("cpu");
        Tensor ref = x.to("reference");
        assertClose(ref.sum(1, false).toDoubleArray(), x.sum(1, false).toDoubleArray(), 1e-4, "row sums");
        assertClose(ref.sum(0, false).toDoubleArray(), x.sum(0, false).toDoubleArray(), 1e-4, "column sums");
        assertClose(ref.max(1, false).toDoubleArray(), x.max(1, false).toDoubleArray(), 0, "row maxima");
        assertClose(ref.min(1, false).toDoubleArray(), x.min(1, false).toDoubleArray(), 0, "row minima");
        assertArrayEquals(ref.argmax(1).toLongArray(), x.argmax(1).toLongArray(), "argmax");
        assertArrayEquals(ref.argmin(1).toLongArray(), x.argmin(1).toLongArray(), "argmin");
    }

    @Test
    void largeAxpyAndFillSplitAcrossThreadsCorrectly() {
        int n = 1_000_003;
        SplittableRandom rng = new SplittableRandom(6);
        Tensor x = random(rng, DType.F32, n);
        Tensor y = random(rng, DType.F32, n);
        float[] xs = x.toFloatArray(), ys = y.toFloatArray();
        float[] updated;
        try (var g = dev.jgrad.autograd.NoGrad.enter()) {
            updated = y.addInPlace(x, -0.5).toFloatArray();
        }
        for (int i = 0; i < n; i++) {
            assertEquals(Math.fma(-0.5f, xs[i], ys[i]), updated[i], Math.ulp(ys[i]) * 2, "axpy at " + i);
        }
        float[] filled = y.fillInPlace(2.5).toFloatArray();
        for (int i = 0; i < n; i++) {
            assertEquals(2.5f, filled[i], 0f, "fill at " + i);
        }
    }

    @Test
    void transcendentalsAreWithinAFewUlps() {
        float[] xs = new float[20001];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -20f + i * 0.002f;
        }
        Tensor x = Tensor.of(xs, xs.length).to("cpu");
        checkUlps(xs, x.exp().toFloatArray(), Math::exp, 4, "exp");
        checkUlps(xs, x.tanh().toFloatArray(), Math::tanh, 4, "tanh");
        checkUlps(xs, x.sigmoid().toFloatArray(), v -> 1 / (1 + Math.exp(-v)), 4, "sigmoid");
        float[] pos = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            pos[i] = 1e-3f + i * 0.01f;
        }
        checkUlps(pos, Tensor.of(pos, pos.length).to("cpu").log().toFloatArray(), Math::log, 4, "log");
        float[] g = new float[4001];
        for (int i = 0; i < g.length; i++) {
            g[i] = -8f + i * 0.004f;
        }
        checkUlps(g, Tensor.of(g, g.length).to("cpu").gelu().toFloatArray(),
                v -> dev.jgrad.backend.UnaryOp.GELU.apply(v, 0), 8, "gelu");
        checkUlps(g, Tensor.of(g, g.length).to("cpu").erf().toFloatArray(), dev.jgrad.backend.Erf::erf, 4, "erf");
        // Near 0 erf must keep its relative accuracy (1 - erfc there gave erf(1e-6) = 0).
        float[] tiny = new float[64];
        for (int i = 0; i < tiny.length; i++) {
            tiny[i] = (i % 2 == 0 ? 1 : -1) * (float) Math.scalb(1.3, -i);
        }
        checkUlps(tiny, Tensor.of(tiny, tiny.length).to("cpu").erf().toFloatArray(), dev.jgrad.backend.Erf::erf, 4,
                "erf");
    }

    private static void checkUlps(float[] in, float[] out, java.util.function.DoubleUnaryOperator exact, int maxUlps,
                                  String op) {
        for (int i = 0; i < in.length; i++) {
            float want = (float) exact.applyAsDouble(in[i]);
            float ulps = Math.abs(out[i] - want) / Math.ulp(want);
            assertTrue(ulps <= maxUlps || out[i] == want,
                    op + "(" + in[i] + ") = " + out[i] + ", expected " + want + " (" + ulps + " ulps)");
        }
    }

    @Test
    void f64TranscendentalsMatchStrictMath() {
        double[] xs = {-30, -2.5, -0.1, 0, 0.3, 1, 7.25, 40};
        double[] exp = Tensor.of(xs, xs.length).to("cpu").exp().toDoubleArray();
        double[] tanh = Tensor.of(xs, xs.length).to("cpu").tanh().toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(StrictMath.exp(xs[i]), exp[i], Math.ulp(exp[i]) * 2);
            assertEquals(StrictMath.tanh(xs[i]), tanh[i], Math.ulp(tanh[i]) * 2);
        }
    }

    @Test
    void longF32SumsDoNotDrift() {
        int n = 10_000_000;
        SplittableRandom rng = new SplittableRandom(6);
        float[] v = new float[n];
        double exact = 0;
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() + 0.5);
            exact += v[i];
        }
        double got;
        try (var g = NoGrad.enter()) {
            got = Tensor.of(v, n).to("cpu").sum().item();
        }
        // A naive sequential F32 sum is off by ~1e-3 relative here; blocked summation stays near F32 rounding.
        assertEquals(exact, got, Math.abs(exact) * 2e-7);
        float naive = 0;
        for (float f : v) {
            naive += f;
        }
        assertTrue(Math.abs(naive - exact) > Math.abs(got - exact), "the test data must defeat a naive sum");
    }

    @Test
    void withoutTheVectorModuleCpuIsUnavailableAndTheDefaultFallsBack() throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + "/bin/java";
        // On the class path (the module path always resolves jdk.incubator.vector, which dev.jgrad requires):
        // Surefire puts jgrad-core itself on the module path, so both paths go on the child's class path.
        String modulePath = System.getProperty("jdk.module.path");
        String cp = System.getProperty("java.class.path")
                + (modulePath == null ? "" : File.pathSeparator + modulePath);
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", cp, DefaultDeviceProbe.class.getName());
        pb.environment().remove("JGRAD_DEVICE");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("default=reference"), out);
        assertTrue(out.contains("--add-modules jdk.incubator.vector"), out);
        assertEquals(1, out.split("WARNING: the cpu backend is unavailable", -1).length - 1, "warned once: " + out);
    }
}
