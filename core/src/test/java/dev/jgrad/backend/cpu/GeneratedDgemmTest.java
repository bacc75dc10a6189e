package dev.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The F64 GEMM sources are what core/tools/derive-dgemm.sh makes of the F32 ones (rerun it after an edit). */
class GeneratedDgemmTest {

    @Test
    void dgemmSourcesAreCurrent(@TempDir Path out) throws Exception {
        Path script = Path.of("tools/derive-dgemm.sh");
        Assumptions.assumeTrue(Files.isRegularFile(script) && Files.isExecutable(Path.of("/bin/bash")),
                "needs bash and the module directory as working directory");
        Process p = new ProcessBuilder("/bin/bash", script.toString(), out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), log);
        assertEquals(0, p.exitValue(), log);
        Path src = Path.of("src/main/java/dev/jgrad/backend/cpu");
        for (String f : List.of("Dgemm.java", "DgemmKernel.java", "DgemmParallel.java", "DgemmDirect.java")) {
            assertEquals(Files.readString(out.resolve(f)), Files.readString(src.resolve(f)),
                    f + " is stale: run core/tools/derive-dgemm.sh");
        }
    }
}
