package dev.jgrad.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Device;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Device memory is given back: emptyCache frees slabs, and a long training loop's footprint stays bounded. */
class OpenClMemoryTest {
    private static final long MIB = 1 << 20;
    private static OpenClBackend device;

    @BeforeAll
    static void requireDevice() {
        RequireOpenCl.check();
        device = (OpenClBackend) Device.of("opencl:0").backend();
    }

    @Test
    void emptyCacheFreesTheSlabsOfSmallBuffersOnceTheyAreUnused() {
        List<ClBuffer> small = new ArrayList<>();
        for (int i = 0; i < 64; i++) {   // 64 KiB class: 16 per 1 MiB slab, 4 slabs
            small.add((ClBuffer) device.allocate(DType.F32, 16_000));
        }
        MemoryStats during = device.memoryStats();
        small.forEach(ClBuffer::close);
        assertTrue(device.memoryStats().cached() >= 64 * 65536, "closed buffers are cached first");
        device.emptyCache();
        MemoryStats after = device.memoryStats();
        // The first slab may be shared with earlier buffers of the class; the other three are ours alone.
        assertTrue(after.reserved() <= during.reserved() - 3 * MIB, "slabs were released: " + during + " -> " + after);
    }

    /**
     * 10,000 training steps in a fresh JVM whose young generation is large enough that the JVM
     * would not collect on its own during the run: only the pool's own budget keeps dead tensors'
     * buffers from piling up. Live set ~0.03 MiB; the bound is the cache limit (8 MiB), two
     * collection budgets and one partly carved slab per small size class.
     */
    @Test
    void tenThousandTrainingStepsStayWithinTheBoundWithoutAForcedCollection() throws Exception {
        String java = System.getProperty("java.home") + "/bin/java";
        ProcessBuilder pb = new ProcessBuilder(java, "-Xms1g", "-Xmx2g", "-Xmn1g", "--add-modules",
                "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                MemoryFootprintProbe.class.getName());
        pb.environment().remove("JGRAD_DEVICE");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "the probe did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        Matcher m = Pattern.compile("worst=(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        long worst = Long.parseLong(m.group(1));
        long bound = 8 * MIB + 2 * MemoryPool.MIN_BUDGET + 12 * MIB;
        assertTrue(worst <= bound, "device memory held reached " + worst / MIB + " MiB, bound " + bound / MIB + " MiB: "
                + out);
    }
}
