package dev.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips, the reference implementation's exact bytes, and interop with files PyTorch 1.13
 * produced through an independent writer (core/src/test/python/safetensors_interop.py).
 */
class SafeTensorsTest {
    @TempDir
    Path dir;

    static Path fixture(Path dir) throws IOException {
        Path p = dir.resolve("interop.safetensors");
        try (InputStream in = SafeTensorsTest.class.getResourceAsStream("interop.safetensors")) {
            Files.copy(in, p);
        }
        return p;
    }

    /** One line of interop.expected: name, dtype in the file, shape, values. */
    record Expected(String name, String dtype, int[] shape, double[] values, String[] text) {
    }

    static List<Expected> expected() throws IOException {
        List<Expected> out = new ArrayList<>();
        try (InputStream in = SafeTensorsTest.class.getResourceAsStream("interop.expected")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(" ");
                int[] shape = f[2].equals("-") ? new int[0]
                        : java.util.Arrays.stream(f[2].split(",")).mapToInt(Integer::parseInt).toArray();
                double[] v = f[3].equals("-") ? new double[0]
                        : java.util.Arrays.stream(f[3].split(",")).mapToDouble(Double::parseDouble).toArray();
                out.add(new Expected(f[0], f[1], shape, v, f[3].split(",")));
            }
        }
        return out;
    }

    @Test
    void readsWhatPyTorchWrote() throws IOException {
        Map<String, Tensor> t = SafeTensors.load(fixture(dir));
        assertEquals(List.of("i64", "f64", "empty", "linear.bias", "linear.weight", "scalar", "i32", "bf16", "f16",
                "i8", "u8", "mask"), List.copyOf(t.keySet()), "file (data offset) order");
        for (Expected e : expected()) {
            Tensor x = t.get(e.name());
            DType want = switch (e.dtype()) {
                case "F64" -> DType.F64;
                case "F32", "F16", "BF16" -> DType.F32;
                default -> DType.I64;
            };
            assertEquals(want, x.dtype(), e.name());
            assertArrayEquals(e.shape(), x.shape(), e.name());
            if (want == DType.I64) {
                long[] v = x.toLongArray();
                for (int i = 0; i < v.length; i++) {
                    assertEquals(Long.parseLong(e.text()[i]), v[i], e.name());
                }
            } else {
                assertArrayEquals(e.values(), x.toDoubleArray(), 0.0, e.name());
            }
        }
        assertEquals(1152921504606846977L, t.get("i64").toLongArray()[0], "I64 beyond 2^53 exactly");
        assertEquals(Map.of("producer", "torch 1.13.0a0", "format", "pt"),
                SafeTensors.metadata(dir.resolve("interop.safetensors")));
    }

    @Test
    void roundTripsAndLeavesAFileForPython() throws IOException {
        Map<String, Tensor> loaded = SafeTensors.load(fixture(dir));
        Path out = Path.of("target", "interop-jgrad.safetensors");
        Files.createDirectories(out.getParent());
        SafeTensors.save(loaded, Map.of("producer", "jgrad"), out);
        Map<String, Tensor> back = SafeTensors.load(out);
        assertEquals(List.copyOf(loaded.keySet()), List.copyOf(back.keySet()));
        for (String k : loaded.keySet()) {
            assertEquals(loaded.get(k).dtype(), back.get(k).dtype(), k);
            assertArrayEquals(loaded.get(k).shape(), back.get(k).shape(), k);
            assertArrayEquals(loaded.get(k).toDoubleArray(), back.get(k).toDoubleArray(), 0.0, k);
        }
        assertEquals(Map.of("producer", "jgrad"), SafeTensors.metadata(out));
    }

    @Test
    void writesTheReferenceBytes() throws IOException {
        Path p = dir.resolve("a.safetensors");
        SafeTensors.save(Map.of("attn.0", Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3)), p);
        String json = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(64, b.getLong(0));
        assertEquals(json, new String(b.array(), 8, 64, StandardCharsets.UTF_8));
        assertEquals(8 + 64 + 24, b.capacity());
        assertEquals(1f, b.getFloat(72 + 4));
        SafeTensors.save(Map.of(), p);
        assertArrayEquals("{}      ".getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOfRange(Files.readAllBytes(p), 8, 16));
        SafeTensors.save(Map.of(), Map.of("framework", "pt"), p);
        byte[] all = Files.readAllBytes(p);
        assertEquals(40, ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
        assertEquals("{\"__metadata__\":{\"framework\":\"pt\"}}     ", new String(all, 8, 40, StandardCharsets.UTF_8));
    }

    @Test
    void largeStridedAndOddTensors() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("big", Tensor.randn(new dev.jgrad.Generator(1), 700, 1000));
        m.put("t", Tensor.randn(new dev.jgrad.Generator(2), 3, 5).to(DType.F64).transpose(0, 1));
        m.put("q\"uote\\d\n", Tensor.of(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, 2));
        m.put("scalar", Tensor.scalar(2.5, DType.F64));
        m.put("empty", Tensor.zeros(DType.I64, 4, 0));
        m.put("grad", Tensor.randn(new dev.jgrad.Generator(3), 4).requiresGrad(true));
        Path p = dir.resolve("b.safetensors");
        SafeTensors.save(m, p);
        Map<String, Tensor> back = SafeTensors.load(p);
        assertEquals(List.copyOf(m.keySet()), List.copyOf(back.keySet()));
        for (String k : m.keySet()) {
            assertArrayEquals(m.get(k).shape(), back.get(k).shape(), k);
            assertArrayEquals(m.get(k).toDoubleArray(), back.get(k).toDoubleArray(), 0.0, k);
            assertEquals(false, back.get(k).requiresGrad());
        }
        assertTrue(Files.list(dir).noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temp left");
        String msg = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.save(Map.of("__metadata__", Tensor.zeros(1)), p)).getMessage();
        assertTrue(msg.contains("__metadata__") && msg.contains("reserved"), msg);
    }
}
