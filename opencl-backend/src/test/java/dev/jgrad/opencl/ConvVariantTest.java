package dev.jgrad.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Device;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Convolution on OpenCL uses the GEMM kernel chosen by device type, as matmul does, and every
 * variant gives the cpu result: Conv2d forward and both backward passes run in a fresh JVM per
 * forced {@code jgrad.opencl.gemm} variant ({@link ConvVariantProbe}), and the device's own choice
 * follows its type.
 */
class ConvVariantTest {
    @BeforeAll
    static void requireDevice() {
        RequireOpenCl.check();
    }

    @Test
    void theDefaultVariantFollowsTheDeviceType() {
        OpenClBackend b = (OpenClBackend) Device.of("opencl:0").backend();
        String forced = System.getProperty("jgrad.opencl.gemm");
        String expected = forced != null ? forced : b.device.isGpu() ? "gpu" : "cpu";
        assertEquals(expected, b.gemmVariant(), b.description());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "naive"})
    void conv2dUnderEachGemmVariantMatchesCpu(String variant) throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + "/bin/java";
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Djgrad.opencl.gemm=" + variant, "-cp",
                System.getProperty("java.class.path"), ConvVariantProbe.class.getName());
        pb.environment().remove("JGRAD_DEVICE");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the probe did not finish: " + out);
        assertTrue(out.contains("variant=" + variant), "the backend ran another variant: " + out);
        assertEquals(0, p.exitValue(), "Conv2d under the " + variant + " GEMM differs from cpu:\n" + out);
    }
}
