package dev.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jgrad.Tensor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Untrusted files: each check of the reference implementation as a clear error naming the file and
 * the tensor, and a fuzz run in which no input produces any other exception.
 */
class SafeTensorsValidationTest {
    @TempDir
    Path dir;
    private int count;

    private Path raw(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("f" + count++ + ".safetensors"), bytes);
    }

    private Path file(String json, int dataBytes) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return raw(b.array());
    }

    private static String t(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    private static void rejects(Path p, String... parts) {
        for (var call : List.<org.junit.jupiter.api.function.Executable>of(() -> SafeTensors.load(p),
                () -> SafeTensors.metadata(p))) {
            String m = assertThrows(IllegalArgumentException.class, call).getMessage();
            assertTrue(m.contains(p.toString()), "names the file: " + m);
            for (String part : parts) {
                assertTrue(m.contains(part), "should mention '" + part + "': " + m);
            }
        }
    }

    @Test
    void headerFraming() throws IOException {
        rejects(raw(new byte[0]), "0 bytes", "fewer than the 8");
        rejects(raw(new byte[7]), "7 bytes");
        byte[] big = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_001L).array();
        rejects(raw(big), "100000001", "limit of 100000000");
        byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array();
        rejects(raw(huge), "18446744073709551615");
        byte[] past = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(9).put("{}      ".getBytes()).array();
        rejects(raw(past), "header length 9 runs past the end of the 16-byte file");
        byte[] utf = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(4).put(new byte[] {'{', (byte) 0xff, '}', ' '}).array();
        rejects(raw(utf), "not valid UTF-8");
        rejects(file("{\"a\":", 0), "not valid JSON", "unexpected end");
        rejects(file("{}x", 0), "not valid JSON");
        rejects(file("[1]", 0), "not a JSON object");
        rejects(file("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", 0), "nesting deeper than 64");
        assertEquals(Map.of(), SafeTensors.load(file("{}  \t\n", 0)));
    }

    @Test
    void tensorRecords() throws IOException {
        rejects(file("{" + t("a", "F32", "[1]", 0, 4) + "," + t("a", "F32", "[1]", 4, 8) + "}", 8), "duplicate key \"a\"");
        rejects(file("{" + t("w", "F31", "[1]", 0, 4) + "}", 4), "tensor 'w'", "unknown dtype 'F31'");
        rejects(file("{" + t("a", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 8, 12) + "}", 12),
                "tensor 'b' starts at data offset 8 but the previous tensor ends at 4 (a gap)");
        rejects(file("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 4, 12) + "}", 12), "tensor 'b'",
                "overlap");
        rejects(file("{" + t("a", "F32", "[1]", 8, 4) + "}", 8), "tensor 'a'", "end before they begin");
        rejects(file("{" + t("a", "F32", "[2]", 0, 4) + "}", 4), "tensor 'a'", "hold 4 bytes but shape [2] of F32 needs 8");
        rejects(file("{" + t("a", "F64", "[4611686018427387904,4]", 0, 8) + "}", 8), "tensor 'a'", "overflows");
        rejects(file("{" + t("a", "F32", "[2]", 0, 8) + "}", 4), "cover 8 data bytes but the file holds 4");
        rejects(file("{" + t("a", "F32", "[1]", 0, 4) + "}", 8), "cover 4 data bytes", "holds 8", "trailing");
        rejects(file("{" + t("a", "F32", "[-1]", 0, 4) + "}", 4), "tensor 'a'", "shape holds -1");
        rejects(file("{" + t("a", "F32", "[1.0]", 0, 4) + "}", 4), "tensor 'a'", "shape holds 1.0");
        rejects(file("{" + t("a", "F32", "[1]", 0, 4).replace("\"data_offsets\":[0,4]", "\"offsets\":[0,4]") + "}", 4),
                "tensor 'a'", "data_offsets must be an array of 2");
        rejects(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'a'", "dtype is missing");
        rejects(file("{\"__metadata__\":{\"k\":1}}", 0), "__metadata__ value of 'k' is not a string");
        rejects(file("{\"__metadata__\":[]}", 0), "__metadata__ must be an object");
    }

    @Test
    void validButUnreadableTensorsFailBeforeAnyIsBuilt() throws IOException {
        Path u16 = file("{" + t("ok", "F32", "[1]", 0, 4) + "," + t("w", "U16", "[2]", 4, 8) + "}", 8);
        String m = assertThrows(IllegalArgumentException.class, () -> SafeTensors.load(u16)).getMessage();
        assertTrue(m.contains("tensor 'w'") && m.contains("U16") && m.contains("reads only"), m);
        assertEquals(Map.of(), SafeTensors.metadata(u16));
        String json = "{" + t("mask", "BOOL", "[2147483648]", 0, 2147483648L) + "}";
        Path sparse = file(json, 0);
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(8 + json.length() + 2147483648L);
        }
        m = assertThrows(IllegalArgumentException.class, () -> SafeTensors.load(sparse)).getMessage();
        assertTrue(m.contains("tensor 'mask'") && m.contains("more than 2147483647 elements"), m);
    }

    /** Thousands of truncations, bit flips and crafted headers: success or the documented exception, nothing else. */
    @Test
    void fuzzedFilesOnlyEverThrowTheDocumentedException() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("layer.weight", Tensor.randn(new dev.jgrad.Generator(1), 3, 4));
        m.put("layer.bias", Tensor.of(new long[] {1, 2, 3}, 3));
        m.put("s", Tensor.scalar(2.0));
        Path good = dir.resolve("good.safetensors");
        SafeTensors.save(m, Map.of("epoch", "3"), good);
        byte[] base = Files.readAllBytes(good);
        int headerEnd = 8 + (int) ByteBuffer.wrap(base).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        SplittableRandom rng = new SplittableRandom(12);
        int loaded = 0, rejected = 0;
        Path p = dir.resolve("fuzz.safetensors");
        for (int i = 0; i < 4000; i++) {
            byte[] bytes = switch (i % 4) {
                case 0 -> java.util.Arrays.copyOf(base, rng.nextInt(base.length));
                case 1 -> flip(base, rng, 1 + rng.nextInt(4), rng.nextBoolean() ? headerEnd : base.length);
                case 2 -> Fuzz.craft(base, headerEnd, rng);
                default -> Fuzz.lengthField(base, rng);
            };
            Files.write(p, bytes);
            try {
                Map<String, Tensor> got = SafeTensors.load(p);
                SafeTensors.metadata(p);
                got.values().forEach(Tensor::numel);
                loaded++;
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
                rejected++;
            } catch (Throwable e) {
                fail("case " + i + " threw " + e + " for bytes " + new String(bytes, StandardCharsets.ISO_8859_1), e);
            }
        }
        assertTrue(loaded > 100 && rejected > 1000, "both outcomes exercised: " + loaded + " loaded, " + rejected);
    }

    private static byte[] flip(byte[] base, SplittableRandom rng, int bits, int within) {
        byte[] b = base.clone();
        for (int k = 0; k < bits; k++) {
            int at = rng.nextInt(within);
            b[at] ^= (byte) (1 << rng.nextInt(8));
        }
        return b;
    }
}
