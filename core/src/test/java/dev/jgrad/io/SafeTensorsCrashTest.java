package dev.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A save killed at a random moment (SIGKILL of a child JVM) leaves a complete, loadable file. */
class SafeTensorsCrashTest {
    @TempDir
    Path dir;

    @Test
    void killedSavesLeaveTheLastCompleteFile() throws Exception {
        Path target = dir.resolve("ckpt.safetensors");
        String java = ProcessHandle.current().info().command().orElse("java");
        long[] delays = {0, 37, 113, 251};
        for (long delay : delays) {
            Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                    "--enable-native-access=ALL-UNNAMED", "-cp", classPath(),
                    SaveLoop.class.getName(), target.toString()).redirectErrorStream(true).start();
            int lastSaved;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                lastSaved = awaitSaves(out, 2);
                Thread.sleep(delay);
                child.destroyForcibly().waitFor();
            }
            Map<String, Tensor> got = SafeTensors.load(target);
            int version = Integer.parseInt(SafeTensors.metadata(target).get("version"));
            assertTrue(version >= lastSaved, "version " + version + " after saved " + lastSaved);
            for (Tensor t : got.values()) {
                assertEquals(1_000_000, t.numel());
                assertEquals(version, t.min().item(), "complete and of one version");
                assertEquals(version, t.max().item());
            }
        }
    }

    /**
     * @return jgrad's classes and the tests' on one class path, whether surefire used the module path or
     *         not (then the dependencies are on {@code jdk.module.path})
     */
    static String classPath() throws Exception {
        List<String> parts = new ArrayList<>();
        for (Class<?> c : new Class<?>[] {Tensor.class, SaveLoop.class}) {
            parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        parts.add(System.getProperty("java.class.path"));
        String modules = System.getProperty("jdk.module.path");
        if (modules != null && !modules.isEmpty()) {
            parts.add(modules);
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    /** @return the last version announced once {@code n} saves have completed */
    private static int awaitSaves(BufferedReader out, int n) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (line.startsWith("saved ") && Integer.parseInt(line.substring(6)) >= n) {
                return Integer.parseInt(line.substring(6));
            }
        }
        throw new AssertionError("the child saver died early: " + lines);
    }
}
