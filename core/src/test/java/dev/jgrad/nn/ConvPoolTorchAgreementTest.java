package dev.jgrad.nn;

import static dev.jgrad.conformance.BackendConformanceTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * conv2d and the pools against PyTorch 1.13: outputs and input gradients for the fixtures that
 * {@code core/src/test/python/conv_pool_fixtures.py} wrote (stride, padding, dilation, groups,
 * depthwise, 1x1, max/avg/adaptive pooling), on {@code reference} and {@code cpu}, in F64 and F32.
 */
class ConvPoolTorchAgreementTest {

    record Case(String name, String op, int[] params, Map<String, Tensor> tensors) {
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : load()) {
            if (c.op.equals("module")) {
                continue;
            }
            for (String device : List.of("reference", "cpu")) {
                for (DType dt : List.of(DType.F64, DType.F32)) {
                    tests.add(DynamicTest.dynamicTest(c.name + " " + c.op + " " + device + " " + dt,
                            () -> check(c, device, dt)));
                }
            }
        }
        return tests.stream();
    }

    private static void check(Case c, String device, DType dt) {
        double tol = dt == DType.F64 ? 1e-10 : 2e-5;
        Tensor x = input(c, "x", device, dt);
        Tensor w = c.tensors.containsKey("weight") ? input(c, "weight", device, dt) : null;
        Tensor b = c.tensors.containsKey("bias") ? input(c, "bias", device, dt) : null;
        int[] p = c.params;
        Tensor y = switch (c.op) {
            case "conv2d" -> Functional.conv2d(x, w, b, p[1], p[2], p[3], p[4]);
            case "maxPool2d" -> Functional.maxPool2d(x, p[0], p[1], p[2]);
            case "avgPool2d" -> Functional.avgPool2d(x, p[0], p[1], p[2]);
            case "adaptiveAvgPool2d" -> Functional.adaptiveAvgPool2d(x, p[0]);
            default -> throw new AssertionError("unknown op " + c.op);
        };
        String where = c.name + " on " + device + " " + dt;
        Tensor expected = c.tensors.get("out");
        assertArrayEquals(expected.shape(), y.shape(), where + ": output shape");
        assertClose(expected.toDoubleArray(), y.toDoubleArray(), tol, where + ": output");
        y.backward(c.tensors.get("grad_out").to(dt).to(device));
        assertClose(c.tensors.get("grad_x").toDoubleArray(), x.grad().toDoubleArray(), tol, where + ": grad x");
        if (w != null) {
            assertClose(c.tensors.get("grad_weight").toDoubleArray(), w.grad().toDoubleArray(), tol, where + ": grad weight");
        }
        if (b != null) {
            assertClose(c.tensors.get("grad_bias").toDoubleArray(), b.grad().toDoubleArray(), tol, where + ": grad bias");
        }
    }

    private static Tensor input(Case c, String label, String device, DType dt) {
        return c.tensors.get(label).to(dt).to(device).detach().copy().requiresGrad(true);
    }

    static List<Case> load() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ConvPoolTorchAgreementTest.class.getResourceAsStream("conv_pool_fixtures.txt"), StandardCharsets.UTF_8))) {
            String line;
            Case current = null;
            while ((line = r.readLine()) != null) {
                String[] f = line.trim().split(" ");
                if (f[0].equals("case")) {
                    current = new Case(f[1], f[2], Arrays.stream(f, 3, f.length).mapToInt(Integer::parseInt).toArray(),
                            new LinkedHashMap<>());
                    cases.add(current);
                } else if (f[0].equals("tensor")) {
                    int[] shape = Arrays.stream(f, 2, f.length).mapToInt(Integer::parseInt).toArray();
                    String[] v = r.readLine().trim().split(" ");
                    double[] values = Arrays.stream(v).filter(s -> !s.isEmpty()).mapToDouble(Double::parseDouble).toArray();
                    current.tensors.put(f[1], Tensor.of(values, shape));
                }
            }
        }
        return cases;
    }
}
