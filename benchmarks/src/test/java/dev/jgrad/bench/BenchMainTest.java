package dev.jgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's JVM defaults. */
class BenchMainTest {
    @TempDir
    Path dir;

    @Test
    void heapGoesOnHugePagesWhereTheKernelOffersThem() throws IOException {
        assertEquals(List.of("-XX:+UseTransparentHugePages"), hugePages("always [madvise] never\n"));
        assertEquals(List.of("-XX:+UseTransparentHugePages"), hugePages("[always] madvise never\n"));
        assertEquals(List.of(), hugePages("always madvise [never]\n"));
        assertEquals(List.of(), BenchMain.hugePages(dir.resolve("no-such-file")));
    }

    private List<String> hugePages(String mode) throws IOException {
        Path enabled = Files.writeString(dir.resolve("enabled"), mode);
        return BenchMain.hugePages(enabled);
    }
}
