package dev.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The row-dot products ({@link DotGemm}: x·Wᵀ with few rows or few columns) give the same bits
 * whether C2 has compiled them or not: a child JVM run with {@code -Xint} (the Vector API's Java
 * fallback throughout) must print the same hash of C's bits as this JVM after compiling the
 * kernels. With {@code reduceLanes(ADD)}, whose order is unspecified, the two differed, and a
 * model's logits changed between two evaluations while C2 compiled a dot block.
 */
class DotGemmBitsTest {
    /** {m, k, n}: 4×4 (or 4×2), 4×2 and 4×1 blocks, rows left over, a depth tail. */
    private static final int[][] SHAPES = {{22, 70, 13}, {9, 130, 3}, {4, 64, 1}};

    /** Prints one line: the hash of every product's bits. */
    public static void main(String[] args) {
        System.out.println("bits " + hash());
    }

    private static int hash() {
        int h = 1;
        for (int[] s : SHAPES) {
            Tensor x = Tensor.randn(new SplittableRandom(s[0]), DType.F32, s[0], s[1]).to("cpu");
            Tensor w = Tensor.randn(new SplittableRandom(s[2]), DType.F32, s[2], s[1]).to("cpu");
            h = 31 * h + Arrays.hashCode(x.matmul(w.transpose(0, 1)).toFloatArray());
        }
        return h;
    }

    @Test
    void interpretedAndCompiledAgree() throws Exception {
        List<String> cmd = List.of(System.getProperty("java.home") + "/bin/java", "--add-modules", "jdk.incubator.vector",
                "-Xint", "-Djgrad.threads=1", "-cp", classPath(), DotGemmBitsTest.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        int compiled = 0;
        for (int i = 0; i < 4000; i++) {
            compiled = hash();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("bits " + compiled), "interpreted: " + out.trim() + ", compiled: bits " + compiled);
    }

    /** The test class path plus the module path, where Surefire puts jgrad-core itself. */
    private static String classPath() {
        String modulePath = System.getProperty("jdk.module.path");
        return System.getProperty("java.class.path") + (modulePath == null ? "" : File.pathSeparator + modulePath);
    }
}
