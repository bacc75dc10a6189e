package dev.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * DoubleUpdates.java is generated from FloatUpdates.java by core/tools/derive-updates.sh; this test
 * applies the script's substitutions (the same regular expressions) and fails when the checked-in
 * twin is stale, i.e. someone edited one file without rerunning the script.
 */
class DerivedUpdatesTest {
    private static final Path DIR = Path.of("src/main/java/dev/jgrad/backend/cpu");

    @Test
    void doubleUpdatesIsCurrent() throws IOException {
        String f32 = Files.readString(DIR.resolve("FloatUpdates.java"));
        String derived = f32.replaceAll("FloatVector", "DoubleVector").replaceAll("\\bfloat\\b", "double")
                .replaceAll("Float\\b", "Double").replaceAll("FloatUpdates", "DoubleUpdates")
                .replace("(double) ", "")
                .replace(" * The fused optimizer updates on F32 arrays:", " * The fused optimizer updates on F64 arrays"
                        + " (generated from {@link FloatUpdates} by\n * core/tools/derive-updates.sh; edit that file"
                        + " instead):")
                .replaceAll("(?m)^ \\* The F64 twin.*\\n", "");
        assertEquals(derived, Files.readString(DIR.resolve("DoubleUpdates.java")),
                "DoubleUpdates.java is stale: run core/tools/derive-updates.sh");
    }
}
