package dev.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The F64 GEMM kernels are generated twins: {@code Dgemm.java} and {@code DgemmDirect.java} must be
 * exactly what {@code core/tools/derive-dgemm.sh} produces from today's {@code Sgemm.java} and
 * {@code SgemmDirect.java}. The script runs at test time on a copy of the tree (the working tree is
 * never written), so an edit to an F32 kernel without regenerating fails here.
 */
class DgemmGeneratedTest {
    private static final Path CPU = Path.of("src/main/java/dev/jgrad/backend/cpu");
    private static final Path SCRIPT = Path.of("tools/derive-dgemm.sh");

    @Test
    void dgemmFilesAreTheScriptsOutputForTheCurrentSgemmSources(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isRegularFile(SCRIPT), "run from the core module: " + SCRIPT.toAbsolutePath());
        Path tools = Files.createDirectories(tmp.resolve("tools"));
        Path cpu = Files.createDirectories(tmp.resolve("src/main/java/dev/jgrad/backend/cpu"));
        Files.copy(SCRIPT, tools.resolve("derive-dgemm.sh"));
        for (String f : List.of("Sgemm.java", "SgemmDirect.java")) {
            Files.copy(CPU.resolve(f), cpu.resolve(f));
        }
        Process p = new ProcessBuilder("bash", tools.resolve("derive-dgemm.sh").toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("derive-dgemm.sh did not finish in 60 s: " + log);
        }
        assertEquals(0, p.exitValue(), "derive-dgemm.sh failed: " + log);
        for (String f : List.of("Dgemm.java", "DgemmDirect.java")) {
            assertSame(cpu.resolve(f), CPU.resolve(f));
        }
    }

    private static void assertSame(Path generated, Path committed) throws IOException {
        List<String> want = Files.readAllLines(generated), have = Files.readAllLines(committed);
        for (int i = 0; i < Math.min(want.size(), have.size()); i++) {
            if (!want.get(i).equals(have.get(i))) {
                fail(committed.getFileName() + " is stale at line " + (i + 1) + ": the script gives\n  " + want.get(i)
                        + "\nbut the file has\n  " + have.get(i) + "\nrun core/tools/derive-dgemm.sh");
            }
        }
        assertEquals(want.size(), have.size(), committed.getFileName() + " line count differs from the script's output;"
                + " run core/tools/derive-dgemm.sh");
        assertEquals(Files.readString(generated), Files.readString(committed), committed.getFileName()
                + " differs from the script's output (line endings?); run core/tools/derive-dgemm.sh");
    }
}
