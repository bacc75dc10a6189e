package dev.jgrad.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jgrad.Device;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kernel is built once per device and dtype, whatever the tensor sizes: 100 random sizes run
 * in a fresh JVM with an empty PoCL kernel cache, and afterwards the cache must hold one compiled
 * variant per kernel. PoCL compiles a kernel again for every new work-group size, so a launch that
 * left the local size to the runtime shows up here as dozens of variants of one kernel.
 */
class KernelBuildTest {
    @BeforeAll
    static void requirePocl() {
        RequireOpenCl.check();
        String device = ((OpenClBackend) Device.of("opencl:0").backend()).description();
        // The variant count is read from PoCL's kernel cache; other drivers keep theirs elsewhere.
        assumeTrue(device.contains("Portable Computing Language"), () -> "needs PoCL, got " + device);
    }

    @Test
    void oneBuildAndOneKernelVariantAcrossOneHundredTensorSizes(@TempDir Path cache) throws Exception {
        String java = System.getProperty("java.home") + "/bin/java";
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                KernelBuildProbe.class.getName());
        pb.environment().put("POCL_CACHE_DIR", cache.toString());
        pb.environment().remove("JGRAD_DEVICE");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the probe did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("builds=1"), "one program (F32) for the whole run: " + out);
        Map<String, Long> variants = variantsPerKernel(cache);
        assertTrue(variants.size() >= 8, "PoCL did not use the cache at " + cache + ": " + variants + "\n" + out);
        variants.forEach((kernel, count) -> assertEquals(1, count, kernel + " was compiled for " + count
                + " work-group sizes: " + variants));
    }

    /** Kernel name to number of compiled variants: PoCL keeps {@code .../<kernel>/<variant>/<kernel>.so}. */
    private static Map<String, Long> variantsPerKernel(Path cache) throws IOException {
        Map<String, Long> variants = new TreeMap<>();
        try (Stream<Path> files = Files.walk(cache)) {
            List<Path> objects = files.filter(f -> f.getFileName().toString().endsWith(".so")).toList();
            for (Path so : objects) {
                variants.merge(so.getParent().getParent().getFileName().toString(), 1L, Long::sum);
            }
        }
        return variants;
    }
}
