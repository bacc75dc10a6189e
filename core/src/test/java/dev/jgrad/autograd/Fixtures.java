package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a fixture file written by a generator under {@code src/test/python}: one F64 tensor per line,
 * {@code name shape values} (shape comma-separated, {@code -} for a scalar).
 */
final class Fixtures {
    private final Map<String, Tensor> tensors = new HashMap<>();
    private final String resource;

    private Fixtures(String resource) {
        this.resource = resource;
    }

    static Fixtures load(String resource) {
        Fixtures f = new Fixtures(resource);
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    f.parse(line.trim().split(" "));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    private void parse(String[] parts) {
        int[] shape = parts[1].equals("-") ? new int[0]
                : Arrays.stream(parts[1].split(",")).mapToInt(Integer::parseInt).toArray();
        double[] v = new double[parts.length - 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.parseDouble(parts[i + 2]);
        }
        tensors.put(parts[0], Tensor.of(v, shape));
    }

    /** @return the tensor stored under {@code name} (a fresh leaf each call) */
    Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalStateException(resource + " has no tensor " + name + "; rerun its generator");
        }
        return t.detach();
    }

    /** Asserts {@code actual} has the fixture's shape and values within {@code tol} (absolute + relative). */
    void assertClose(String name, Tensor actual, double tol) {
        Tensor expected = get(name);
        assertArrayEquals(expected.shape(), actual.shape(), name + ": shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= tol * (1 + Math.abs(e[i])),
                    name + "[" + i + "]: expected " + e[i] + " (PyTorch) but got " + a[i]);
        }
    }
}
