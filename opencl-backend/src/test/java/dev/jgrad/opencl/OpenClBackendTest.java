package dev.jgrad.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Device;
import dev.jgrad.Tensor;
import dev.jgrad.backend.Backends;
import dev.jgrad.backend.View;
import dev.jgrad.conformance.BackendConformanceTest;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the conformance kit does not reach: every GEMM variant, the build log, the allocator, devices. */
class OpenClBackendTest {
    @BeforeAll
    static void requireDevice() {
        RequireOpenCl.check();
    }

    private static OpenClBackend backendWithGemm(String variant) {
        String old = System.getProperty("jgrad.opencl.gemm");
        System.setProperty("jgrad.opencl.gemm", variant);
        try {
            return new OpenClBackend("opencl:0", ClDevice.discover().get(0));
        } finally {
            if (old == null) {
                System.clearProperty("jgrad.opencl.gemm");
            } else {
                System.setProperty("jgrad.opencl.gemm", old);
            }
        }
    }

    @Test
    void everyGemmVariantMatchesAPlainLoop() {
        int[][] shapes = {{67, 45, 131}, {8, 16, 32}, {130, 70, 1}, {1, 33, 17}};
        for (String variant : List.of("cpu", "gpu", "naive")) {
            OpenClBackend b = backendWithGemm(variant);
            for (int[] s : shapes) {
                for (int layout = 0; layout < 4; layout++) {
                    checkGemm(b, variant, s[0], s[1], s[2], layout);
                }
            }
        }
    }

    /** layout bit 0: A stored transposed; bit 1: B stored transposed. */
    private static void checkGemm(OpenClBackend b, String variant, int m, int n, int k, int layout) {
        SplittableRandom rng = new SplittableRandom(m * 1000L + n * 10L + k + layout);
        float[] a = new float[m * k], bm = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < bm.length; i++) {
            bm[i] = (float) rng.nextGaussian();
        }
        boolean at = (layout & 1) != 0, bt = (layout & 2) != 0;
        View va = new View(b.upload(a), 0, new int[] {m, k}, at ? new int[] {1, m} : new int[] {k, 1});
        View vb = new View(b.upload(bm), 0, new int[] {k, n}, bt ? new int[] {1, k} : new int[] {n, 1});
        View vc = View.contiguous(b.allocate(DType.F32, m * n), new int[] {m, n});
        b.matmul(va, vb, vc);
        float[] got = new float[m * n];
        b.read(vc.buffer(), 0, got);
        double[] want = new double[m * n];
        double[] have = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[at ? p * m + i : i * k + p] * bm[bt ? j * k + p : p * n + j];
                }
                want[i * n + j] = s;
                have[i * n + j] = got[i * n + j];
            }
        }
        BackendConformanceTest.assertClose(want, have, 1e-4, "gemm " + variant + " " + m + "x" + k + "x" + n
                + " layout " + layout);
    }

    @Test
    void aBuildFailureCarriesTheCompilerLog() {
        OpenClBackend b = (OpenClBackend) Device.of("opencl:0").backend();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> b.programs.compile("__kernel void broken(__global float* x) { x[0] = undeclared; }", "",
                        "test kernel"));
        assertTrue(e.getMessage().contains("building the test kernel"), e.getMessage());
        assertTrue(e.getMessage().contains("undeclared"), "the log names the error: " + e.getMessage());
    }

    @Test
    void f64OnADeviceWithoutFp64IsAClearError() {
        ClDevice real = ClDevice.discover().get(0);
        ClDevice noFp64 = new ClDevice(real.platform(), real.device(), real.platformName(), real.name(), real.type(),
                real.memory(), false);
        OpenClBackend b = new OpenClBackend("opencl:0", noFp64);
        View x = View.contiguous(b.upload(new double[] {1, 2}), new int[] {2});
        View y = View.contiguous(b.allocate(DType.F64, 2), new int[] {2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.unary(dev.jgrad.backend.UnaryOp.EXP, 0, x, y));
        assertTrue(e.getMessage().contains("does not support F64") && e.getMessage().contains(real.name()),
                e.getMessage());
    }

    @Test
    void allocatorReusesFreedBuffersAndReportsStats() {
        OpenClBackend b = (OpenClBackend) Device.of("opencl:0").backend();
        b.finish();
        int n = 100_000;
        long cls = MemoryPool.sizeClass(4L * n);
        ClBuffer first = (ClBuffer) b.allocate(DType.F32, n);
        MemoryStats during = b.memoryStats();
        first.close();
        MemoryStats after = b.memoryStats();
        assertEquals(during.allocated() - cls, after.allocated());
        assertTrue(after.cached() >= cls);
        ClBuffer second = (ClBuffer) b.allocate(DType.F32, n - 10);
        assertEquals(after.cached() - cls, b.memoryStats().cached(), "reused from the cache");
        second.close();
        long cachedBefore = b.memoryStats().cached();
        b.emptyCache();
        assertTrue(b.memoryStats().cached() <= cachedBefore - cls, "large cached buffers were released");
        assertTrue(b.memoryStats().peak() >= during.allocated());
        assertEquals(4096, MemoryPool.sizeClass(4000));
        assertEquals(3L << 20, MemoryPool.sizeClass((2L << 20) + 1));
    }

    @Test
    void smallBuffersShareSlabsWithoutOverlapping() {
        OpenClBackend b = (OpenClBackend) Device.of("opencl:0").backend();
        ClBuffer x = (ClBuffer) b.upload(new float[] {1, 2, 3});
        ClBuffer y = (ClBuffer) b.upload(new float[] {4, 5, 6});
        float[] rx = new float[3];
        float[] ry = new float[3];
        b.read(x, 0, rx);
        b.read(y, 0, ry);
        assertEquals(List.of(1f, 2f, 3f), List.of(rx[0], rx[1], rx[2]));
        assertEquals(List.of(4f, 5f, 6f), List.of(ry[0], ry[1], ry[2]));
    }

    @Test
    void tensorsMoveBetweenDevicesAndStayResident() {
        Tensor x = Tensor.of(new float[] {1, -2, 3, -4}, 2, 2);
        Tensor g = x.to("opencl");
        assertEquals("opencl:0", g.device().name());
        Tensor y = g.relu().mul(2.0).matmul(g);
        assertEquals("opencl:0", y.device().name());
        assertEquals("cpu", y.to("cpu").device().name());
        float[] expected = x.relu().mul(2.0).matmul(x).toFloatArray();
        assertEquals(List.of(expected[0], expected[1], expected[2], expected[3]),
                List.of(y.toFloatArray()[0], y.toFloatArray()[1], y.toFloatArray()[2], y.toFloatArray()[3]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.add(x));
        assertTrue(e.getMessage().contains("opencl:0") && e.getMessage().contains("cpu"), e.getMessage());
    }

    @Test
    void devicesAreListedAndOrdinalsChecked() {
        var p = Backends.providers().stream().filter(q -> q.name().equals("opencl")).findFirst().orElseThrow();
        assertTrue(p.describeDevices().get(0).startsWith("opencl:0: "), p.describeDevices().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1).to("opencl:99"));
        assertTrue(e.getMessage().contains("opencl:99"), e.getMessage());
    }

    @Test
    void largeReductionsUseTheTreeAndMatchTheHost() {
        SplittableRandom rng = new SplittableRandom(9);
        float[] v = new float[300_001];
        double sum = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
            sum += v[i];
            max = Math.max(max, v[i]);
        }
        Tensor t = Tensor.of(v, v.length).to("opencl");
        assertEquals(sum, t.sum().item(), 1e-2);
        assertEquals(max, t.max().item(), 0);
    }
}
