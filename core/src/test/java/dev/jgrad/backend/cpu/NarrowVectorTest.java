package dev.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link KernelCheck} (the GEMM in every dispatch path and layout, the vectorised
 * transcendentals) in child JVMs with the vector width capped at 256 and 128 bits, and on x86 with
 * AVX-512 also with AVX2 only ({@code -XX:UseAVX=2}: 256-bit vectors and 16 registers, so the
 * 6-row kernel), so that one machine tests the kernel shapes of the narrower machines too. Each
 * child must report the width it was given, else the check would silently test the wide path.
 * The children run concurrently.
 */
class NarrowVectorTest {
    /** The children, started together before the tests wait for them (they take seconds of JIT warm-up each). */
    private static final Map<String, Process> CHILDREN = new ConcurrentHashMap<>();

    @BeforeAll
    static void startChildren() throws IOException {
        if (FloatVector.SPECIES_PREFERRED.vectorBitSize() > 256) {
            start("-XX:MaxVectorSize=32");
        }
        if (FloatVector.SPECIES_PREFERRED.vectorBitSize() > 128) {
            start("-XX:MaxVectorSize=16");
        }
        if (avx512()) {
            start("-XX:UseAVX=2");
        }
    }

    @AfterAll
    static void stopChildren() {
        CHILDREN.values().forEach(Process::destroyForcibly);
    }

    @Test
    void vectors256Bit() throws Exception {
        Assumptions.assumeTrue(CHILDREN.containsKey("-XX:MaxVectorSize=32"), "the test JVM's vectors are 256-bit or narrower");
        check("-XX:MaxVectorSize=32", 256, 0);
    }

    @Test
    void vectors128Bit() throws Exception {
        Assumptions.assumeTrue(CHILDREN.containsKey("-XX:MaxVectorSize=16"), "the test JVM's vectors are 128-bit");
        check("-XX:MaxVectorSize=16", 128, 0);
    }

    @Test
    void avx2With16Registers() throws Exception {
        Assumptions.assumeTrue(CHILDREN.containsKey("-XX:UseAVX=2"),
                "only x86 with AVX-512 can run AVX2-only beside its native path");
        check("-XX:UseAVX=2", 256, 16);
    }

    /**
     * Starts the check with {@code flag}. A lower compile threshold brings the JIT's vector
     * intrinsics in sooner: before C2, the Vector API runs as boxed Java, slowly.
     */
    private static void start(String flag) throws IOException {
        List<String> cmd = List.of(System.getProperty("java.home") + "/bin/java", "--add-modules", "jdk.incubator.vector",
                "-Djgrad.threads=2", "-XX:CompileThresholdScaling=0.1", flag, "-cp", classPath(),
                KernelCheck.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        CHILDREN.put(flag, pb.start());
    }

    /** The check with {@code flag} must pass at {@code bits} (and {@code registers}, if not 0). */
    private static void check(String flag, int bits, int registers) throws InterruptedException {
        Process p = CHILDREN.get(flag);
        String out = new String(readAll(p), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the check did not finish: " + out);
        assertEquals(0, p.exitValue(), flag + ":\n" + out);
        assertTrue(out.contains("vectors " + bits + "-bit"), "expected " + bits + "-bit vectors:\n" + out);
        if (registers != 0) {
            assertTrue(out.contains(", " + registers + " vector registers"), out);
        }
    }

    private static byte[] readAll(Process p) {
        try {
            return p.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean avx512() {
        if (!System.getProperty("os.arch").equals("amd64")) {
            return false;
        }
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags"))
                    .anyMatch(l -> List.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+")).contains("avx512f"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The test class path plus the module path, where Surefire puts jgrad-core itself. */
    private static String classPath() {
        String modulePath = System.getProperty("jdk.module.path");
        return System.getProperty("java.class.path")
                + (modulePath == null ? "" : java.io.File.pathSeparator + modulePath);
    }
}
