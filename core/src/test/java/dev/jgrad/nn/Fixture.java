package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jgrad.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One PyTorch fixture written by {@code core/src/test/python/nn_fixtures.py}: named F64 or I64
 * tensors, in the text format that script documents.
 */
final class Fixture {
    private final String name;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private Fixture(String name) {
        this.name = name;
    }

    static Fixture load(String name) {
        Fixture f = new Fixture(name);
        String path = "/dev/jgrad/nn/fixtures/" + name + ".txt";
        try (InputStream in = Fixture.class.getResourceAsStream(path)) {
            assertNotNull(in, "missing fixture " + path + "; run core/src/test/python/nn_fixtures.py");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header;
            while ((header = r.readLine()) != null) {
                String[] h = header.split(" ");
                int rank = Integer.parseInt(h[2]);
                int[] shape = new int[rank];
                for (int i = 0; i < rank; i++) {
                    shape[i] = Integer.parseInt(h[3 + i]);
                }
                String line = r.readLine();
                String[] v = line.isEmpty() ? new String[0] : line.split(" ");
                if (h[1].equals("i64")) {
                    f.tensors.put(h[0], Tensor.of(Arrays.stream(v).mapToLong(Long::parseLong).toArray(), shape));
                } else {
                    f.tensors.put(h[0], Tensor.of(Arrays.stream(v).mapToDouble(Double::parseDouble).toArray(), shape));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    Tensor get(String key) {
        Tensor t = tensors.get(key);
        assertNotNull(t, name + ": no tensor '" + key + "' in " + tensors.keySet());
        return t;
    }

    boolean has(String key) {
        return tensors.containsKey(key);
    }

    /** @return the entries under {@code prefix}, with it stripped */
    Map<String, Tensor> group(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** Asserts {@code actual} equals the fixture tensor {@code key} in shape and, within {@code tol}, in value. */
    void assertClose(String key, Tensor actual, double tol) {
        Tensor expected = get(key);
        assertNotNull(actual, name + ": " + key + " is null");
        assertArrayEquals(expected.shape(), actual.shape(), name + ": shape of " + key);
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            double scale = Math.max(1, Math.abs(e[i]));
            assertEquals(e[i], a[i], tol * scale, name + ": " + key + " at flat " + i);
        }
    }
}
