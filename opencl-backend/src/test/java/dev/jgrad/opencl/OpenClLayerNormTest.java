package dev.jgrad.opencl;

import static dev.jgrad.conformance.BackendConformanceTest.assertClose;

import dev.jgrad.Tensor;
import dev.jgrad.nn.Functional;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer-norm kernels of {@code layernorm.cl} on rows longer than a work-group (each item then
 * strides along the row several times), with the upstream gradient dense, broadcast from a sum, a
 * row broadcast and transposed, against {@code cpu}: output, input, weight and bias gradients.
 */
class OpenClLayerNormTest {
    private static final int ROWS = 9, COLS = 1500;

    @BeforeAll
    static void requireDevice() {
        RequireOpenCl.check();
    }

    private static List<double[]> run(String device, boolean affine, Function<Tensor, Tensor> head) {
        SplittableRandom rng = new SplittableRandom(11);
        Tensor x = Tensor.randn(rng, ROWS, COLS).mul(2.0).add(3.0).to(device).requiresGrad(true);
        Tensor w = affine ? Tensor.randn(rng, COLS).to(device).requiresGrad(true) : null;
        Tensor b = affine ? Tensor.randn(rng, COLS).to(device).requiresGrad(true) : null;
        Tensor y = Functional.layerNorm(x, new int[] {COLS}, w, b, 1e-5);
        Tensor out = head.apply(y);
        out.backward(Tensor.ones(out.shape()).to(device));
        List<double[]> r = new ArrayList<>(List.of(y.toDoubleArray(), x.grad().toDoubleArray()));
        if (affine) {
            r.add(w.grad().toDoubleArray());
            r.add(b.grad().toDoubleArray());
        }
        return r;
    }

    private static void compare(String what, boolean affine, Function<Tensor, Tensor> head) {
        List<double[]> expected = run("cpu", affine, head), actual = run("opencl:0", affine, head);
        for (int i = 0; i < expected.size(); i++) {
            assertClose(expected.get(i), actual.get(i), 2e-4, what + " output/gradient " + i);
        }
    }

    @Test
    void longRowsMatchCpuForEveryUpstreamLayout() {
        Tensor r = Tensor.randn(new SplittableRandom(2), ROWS, COLS);
        compare("dense", true, y -> y.mul(r.to(y.device().name())));
        compare("sum", true, Tensor::sum);
        compare("sum over rows", true, y -> y.sum(0, false).tanh());
        compare("transposed, no affine", false, y -> y.transpose(0, 1).exp());
    }
}
