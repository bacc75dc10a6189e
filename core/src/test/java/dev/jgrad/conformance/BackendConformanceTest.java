package dev.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.internal.Internals;
import dev.jgrad.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance kit: every row of {@link OpTable}, in F32 and F64, with contiguous and
 * non-contiguous inputs, run forward and backward on the backend under test and on
 * {@code reference}; values, shapes, dtypes and every input gradient must agree. Likewise the
 * fused optimizer updates ({@link UpdateTable}), in-place writes ({@link InPlaceTable}) and layers
 * ({@link LayerTable}: outputs, input and parameter gradients, buffers).
 *
 * <p>A backend's test module extends this class and names its device. The kit ships in
 * jgrad-core's test-jar.
 */
public abstract class BackendConformanceTest {

    /** @return the device under test, e.g. {@code cpu} or {@code opencl} */
    protected abstract String device();

    /** @return the allowed absolute and relative error for a dtype on this backend */
    protected double tolerance(DType dtype) {
        return dtype == DType.F64 ? 1e-10 : 2e-5;
    }

    /** @return the rows to run; override only to document a gap, never to hide a failure */
    protected List<OpCase> cases() {
        return OpTable.all();
    }

    /** @return dtypes this backend supports */
    protected List<DType> dtypes() {
        return List.of(DType.F32, DType.F64);
    }

    /** @return one dynamic test per (row, dtype, layout) */
    @TestFactory
    Stream<DynamicTest> forwardAndBackwardMatchReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpCase c : cases()) {
            for (DType dt : dtypes()) {
                for (boolean strided : new boolean[] {false, true}) {
                    String label = c.name() + " " + dt + (strided ? " strided" : "");
                    tests.add(DynamicTest.dynamicTest(label, () -> compare(c, dt, strided)));
                }
            }
        }
        return tests.stream();
    }

    /**
     * @return one dynamic test per (layer row, dtype): outputs, input and parameter gradients, and
     *         buffers of the {@link LayerTable} modules against {@code reference}
     */
    @TestFactory
    Stream<DynamicTest> layersMatchReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (LayerTable.LayerCase c : LayerTable.all()) {
            for (DType dt : dtypes()) {
                String label = "layer " + c.name() + " " + dt;
                tests.add(DynamicTest.dynamicTest(label, () -> {
                    Map<String, Tensor> state = LayerRun.sharedState(c);
                    Map<String, double[]> expected = LayerRun.run(c, state, dt, "reference");
                    Map<String, double[]> actual = LayerRun.run(c, state, dt, device());
                    assertEquals(expected.keySet(), actual.keySet(), label + ": outputs, gradients and buffers");
                    expected.forEach((k, v) -> assertClose(v, actual.get(k), tolerance(dt), label + " on " + device()
                            + ": " + k));
                }));
            }
        }
        return tests.stream();
    }

    /** @return one dynamic test per (update row, dtype, layout): the fused optimizer kernels */
    @TestFactory
    Stream<DynamicTest> updatesMatchReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (UpdateTable.UpdateCase c : UpdateTable.all()) {
            for (DType dt : dtypes()) {
                for (boolean strided : new boolean[] {false, true}) {
                    String label = "update " + c.name() + " " + dt + (strided ? " strided" : "");
                    tests.add(DynamicTest.dynamicTest(label, () -> compareUpdate(c, dt, strided)));
                }
            }
        }
        return tests.stream();
    }

    /** @return one dynamic test per (in-place row, dtype, layout): the kernels that write into a view */
    @TestFactory
    Stream<DynamicTest> inPlaceOpsMatchReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (InPlaceTable.InPlaceCase c : InPlaceTable.all()) {
            for (DType dt : dtypes()) {
                for (boolean strided : new boolean[] {false, true}) {
                    String label = "in place " + c.name() + " " + dt + (strided ? " strided" : "");
                    tests.add(DynamicTest.dynamicTest(label, () -> {
                        double[] expected = runInPlace(c, dt, strided, "reference").toDoubleArray();
                        Tensor actual = runInPlace(c, dt, strided, device());
                        assertEquals(device(), actual.device().name(), label + ": device");
                        assertClose(expected, actual.toDoubleArray(), tolerance(dt), label + " on " + device());
                    }));
                }
            }
        }
        return tests.stream();
    }

    /** @return the updated target (strided: a transposed view of a fresh tensor), same values on every device */
    private static Tensor runInPlace(InPlaceTable.InPlaceCase c, DType dt, boolean strided, String device) {
        SplittableRandom rng = new SplittableRandom(c.name().hashCode());
        Arg ta = Arg.normal(c.target());
        Tensor target = ta.make(ta.values(rng), dt, strided, device, false);
        Tensor operand = null;
        if (c.operand() != null) {
            Arg oa = Arg.normal(c.operand());
            operand = oa.make(oa.values(rng), dt, false, device, false);
        }
        int before = target.version();
        c.op().accept(target, operand);
        assertEquals(before + 1, target.version(), c.name() + ": the version must be bumped once");
        return target;
    }

    private void compareUpdate(UpdateTable.UpdateCase c, DType dt, boolean strided) {
        String where = "update " + c.name() + " " + dt + (strided ? " strided" : "") + " on " + device();
        Map<String, Tensor> expected = runUpdate(c, dt, strided, "reference");
        Map<String, Tensor> actual = runUpdate(c, dt, strided, device());
        assertEquals(expected.keySet(), actual.keySet(), where + ": parameters and state entries");
        for (String k : expected.keySet()) {
            assertEquals(device(), actual.get(k).device().name(), where + ": " + k + " device");
            assertClose(expected.get(k).toDoubleArray(), actual.get(k).toDoubleArray(), tolerance(dt), where + ": " + k);
        }
    }

    /**
     * Three steps with a fixed random gradient per parameter (set directly, so the rows time the
     * update kernels rather than a loss graph), then the parameters and the state.
     */
    private static Map<String, Tensor> runUpdate(UpdateTable.UpdateCase c, DType dt, boolean strided, String device) {
        SplittableRandom rng = new SplittableRandom(c.name().hashCode());
        List<Tensor> params = new ArrayList<>();
        for (int[] shape : c.shapes()) {
            Arg a = Arg.normal(shape);
            Tensor p = a.make(a.values(rng), dt, strided, device, true);
            Internals.bridge().setGrad(p, a.make(a.values(rng), dt, false, device, false));
            params.add(p);
        }
        Optimizer o = c.make().apply(params);
        for (int s = 0; s < 3; s++) {
            o.step();
        }
        Map<String, Tensor> out = new java.util.TreeMap<>();
        for (int i = 0; i < params.size(); i++) {
            out.put("param " + i, params.get(i));
        }
        o.stateDict().forEach((k, v) -> {
            if (k.startsWith("state.") && !k.endsWith(".step")) {
                out.put(k, v);
            }
        });
        return out;
    }

    private void compare(OpCase c, DType dt, boolean strided) {
        SplittableRandom rng = new SplittableRandom(c.name().hashCode());
        List<double[]> values = new ArrayList<>();
        for (Arg a : c.args()) {
            values.add(a.values(rng));
        }
        long gradSeed = rng.nextLong();
        Outcome expected = run(c, values, dt, strided, "reference", gradSeed);
        Outcome actual = run(c, values, dt, strided, device(), gradSeed);
        String where = c.name() + " " + dt + (strided ? " strided" : "") + " on " + device();
        assertArrayEquals(expected.shape, actual.shape, where + ": output shape");
        assertEquals(expected.dtype, actual.dtype, where + ": output dtype");
        assertEquals(device(), actual.device, where + ": output device");
        assertClose(expected.output, actual.output, tolerance(dt), where + ": forward");
        for (int i = 0; i < expected.grads.size(); i++) {
            assertClose(expected.grads.get(i), actual.grads.get(i), tolerance(dt), where + ": gradient of input " + i);
        }
    }

    private record Outcome(int[] shape, DType dtype, String device, double[] output, List<double[]> grads) {
    }

    private static Outcome run(OpCase c, List<double[]> values, DType dt, boolean strided, String device, long seed) {
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; i < c.args().size(); i++) {
            inputs.add(c.args().get(i).make(values.get(i), dt, strided, device, true));
        }
        Tensor out = c.fn().apply(inputs);
        List<double[]> grads = new ArrayList<>();
        if (out.requiresGrad()) {
            double[] g = new double[out.numel()];
            SplittableRandom rng = new SplittableRandom(seed);
            for (int i = 0; i < g.length; i++) {
                g[i] = rng.nextGaussian();
            }
            out.backward(Tensor.of(g, out.shape()).to(dt).to(device));
            for (Tensor in : inputs) {
                if (in.requiresGrad()) {
                    grads.add(in.grad() == null ? new double[in.numel()] : in.grad().toDoubleArray());
                }
            }
        }
        return new Outcome(out.shape(), out.dtype(), out.device().name(), out.toDoubleArray(), grads);
    }

    /** Elementwise {@code |a - b| <= tol * (1 + |a|)}, NaN matching NaN, naming the first bad index. */
    public static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            boolean ok = (Double.isNaN(e) && Double.isNaN(a)) || e == a || Math.abs(e - a) <= tol * (1 + Math.abs(e));
            if (!ok) {
                fail(what + ": element " + i + " expected " + e + " but was " + a + " (tolerance " + tol + ")");
            }
        }
    }
}
