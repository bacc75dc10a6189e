package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jgrad-core works both ways users load it: as the named module {@code dev.jgrad} on the module
 * path (no {@code --add-modules}: the module requires the Vector API itself, and its internals are
 * out of reach) and as a plain jar on the class path. A small program is compiled and run each way.
 */
class ModulePathTest {
    private static final String PROGRAM = """
            package demo;

            import dev.jgrad.Tensor;

            public final class Main {
                public static void main(String[] args) {
                    Tensor.manualSeed(1);
                    Tensor w = Tensor.randn(3, 2).requiresGrad(true);
                    w.mul(w).sum().backward();
                    System.out.println("device=" + w.device() + " grad=" + w.grad().sub(w.mul(2)).abs().max().item());
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void runsOnTheModulePathWithoutFlags() throws Exception {
        Path src = write("demo/Main.java", PROGRAM);
        Path info = write("module-info.java", "module demo { requires dev.jgrad; }");
        Path out = dir.resolve("mod");
        javac("--module-path", core(), "-d", out.toString(), info.toString(), src.toString());
        String stdout = java("--module-path", core() + File.pathSeparator + out, "-m", "demo/demo.Main");
        assertTrue(stdout.contains("device=cpu grad=0.0"), stdout);
    }

    @Test
    void internalsAreOutOfReachOnTheModulePath() throws Exception {
        Path src = write("demo/Main.java", "package demo; public final class Main { Object o ="
                + " dev.jgrad.internal.Internals.bridge(); }");
        Path info = write("module-info.java", "module demo { requires dev.jgrad; }");
        StringWriter err = new StringWriter();
        int rc = ToolProvider.findFirst("javac").orElseThrow().run(new PrintWriter(err), new PrintWriter(err),
                "--module-path", core(), "-d", dir.resolve("mod").toString(), info.toString(), src.toString());
        assertNotEquals(0, rc, "dev.jgrad.internal must not be exported");
        assertTrue(err.toString().contains("package dev.jgrad.internal is not visible"), err.toString());
    }

    @Test
    void runsOnTheClassPath() throws Exception {
        Path src = write("demo/Main.java", PROGRAM);
        Path out = dir.resolve("cp");
        javac("-cp", core(), "--add-modules", "jdk.incubator.vector", "-d", out.toString(), src.toString());
        String stdout = java("--add-modules", "jdk.incubator.vector", "-cp", core() + File.pathSeparator + out,
                "demo.Main");
        assertTrue(stdout.contains("device=cpu grad=0.0"), stdout);
    }

    /** @return jgrad-core as the build put it on this test's class path (the jar, or its classes folder) */
    private static String core() {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.matches(".*jgrad-core-[^/]*(?<!-tests)\\.jar") || e.replace('\\', '/').endsWith("core/target/classes")) {
                return e;
            }
        }
        throw new AssertionError("jgrad-core is not on the test class path: " + System.getProperty("java.class.path"));
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve("src").resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    private static void javac(String... args) {
        StringWriter err = new StringWriter();
        int rc = ToolProvider.findFirst("javac").orElseThrow().run(new PrintWriter(err), new PrintWriter(err), args);
        assertEquals(0, rc, "javac " + Arrays.toString(args) + "\n" + err);
    }

    private static String java(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JGRAD_DEVICE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + "\n" + out);
        return out;
    }
}
