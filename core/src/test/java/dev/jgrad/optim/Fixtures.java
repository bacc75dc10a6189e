package dev.jgrad.optim;

import dev.jgrad.DType;
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
 * Reads the PyTorch fixtures written by core/src/test/python/optim_fixtures.py: lines
 * {@code name|shape|values}.
 */
public final class Fixtures {
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    private final Map<String, double[]> values = new LinkedHashMap<>();

    /** @param resource a file name under dev/jgrad/optim/ on the test class path */
    public Fixtures(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/dev/jgrad/optim/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + resource + " is missing; run core/src/test/python/optim_fixtures.py");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\|", -1);
                shapes.put(f[0], f[1].isEmpty() ? new int[0] : Arrays.stream(f[1].split(",")).mapToInt(Integer::parseInt).toArray());
                values.put(f[0], f[2].isEmpty() ? new double[0] : Arrays.stream(f[2].split(" ")).mapToDouble(Double::parseDouble).toArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the values of a record */
    public double[] values(String name) {
        double[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no fixture record " + name);
        }
        return v;
    }

    /** @return the record as a tensor of {@code dtype} on {@code device} */
    public Tensor tensor(String name, DType dtype, String device) {
        return Tensor.of(values(name), shapes.get(name)).to(dtype).to(device);
    }

    /** Fails unless {@code |a - e| <= tol * (|e| + floor)} element by element. */
    public static void assertClose(double[] expected, double[] actual, double tol, double floor, String what) {
        org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (!(Math.abs(a - e) <= tol * (Math.abs(e) + floor))) {
                org.junit.jupiter.api.Assertions.fail(what + ": element " + i + " expected " + e + " but was " + a
                        + " (relative error " + Math.abs(a - e) / Math.abs(e) + ", tolerance " + tol + ")");
            }
        }
    }
}
