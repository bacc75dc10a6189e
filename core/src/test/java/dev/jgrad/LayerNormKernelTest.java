package dev.jgrad;

import static dev.jgrad.conformance.BackendConformanceTest.assertClose;

import dev.jgrad.autograd.Autograd;
import dev.jgrad.nn.Functional;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The fused layer-norm kernels of {@code cpu} beyond the table's small rows: inputs large enough to
 * be split across threads (each thread's partial parameter gradients then summed), every upstream
 * layout the kernel reads in place (broadcast from a sum, from a sum over rows, transposed), and the
 * recorded (createGraph) backward, each against {@code reference}.
 */
class LayerNormKernelTest {
    /** 96 x 1500 = 144,000 elements: above twice the split grain, so two threads share the rows. */
    private static final int ROWS = 96, COLS = 1500;

    private static List<Tensor> inputs(String device, boolean weight, boolean bias) {
        SplittableRandom rng = new SplittableRandom(7);
        List<Tensor> xs = new ArrayList<>();
        xs.add(Tensor.randn(rng, ROWS, COLS).mul(3.0).add(5.0).to(device).requiresGrad(true));
        xs.add(weight ? Tensor.randn(rng, COLS).to(device).requiresGrad(true) : null);
        xs.add(bias ? Tensor.randn(rng, COLS).to(device).requiresGrad(true) : null);
        return xs;
    }

    /** Runs {@code head(layerNorm(x))} backward on cpu and on reference and compares output and gradients. */
    private static void compare(String what, boolean weight, boolean bias, Function<Tensor, Tensor> head) {
        List<double[]> expected = run("reference", weight, bias, head), actual = run("cpu", weight, bias, head);
        for (int i = 0; i < expected.size(); i++) {
            assertClose(expected.get(i), actual.get(i), 2e-4, what + " output/gradient " + i);
        }
    }

    private static List<double[]> run(String device, boolean weight, boolean bias, Function<Tensor, Tensor> head) {
        List<Tensor> xs = inputs(device, weight, bias);
        Tensor y = Functional.layerNorm(xs.get(0), new int[] {COLS}, xs.get(1), xs.get(2), 1e-5);
        Tensor out = head.apply(y);
        out.backward(Tensor.ones(out.shape()).to(device));
        List<double[]> r = new ArrayList<>(List.of(y.toDoubleArray()));
        for (Tensor t : xs) {
            if (t != null) {
                r.add(t.grad().toDoubleArray());
            }
        }
        return r;
    }

    @Test
    void largeInputSplitAcrossThreadsMatchesReference() {
        Tensor r = Tensor.randn(new SplittableRandom(3), ROWS, COLS);
        compare("affine, dense upstream", true, true, y -> y.mul(r.to(y.device().name())));
        compare("affine, sum", true, true, Tensor::sum);
        compare("no affine, sum over rows", false, false, y -> y.sum(0, false).mul(y.sum(0, false)));
        compare("weight only, transposed", true, false, y -> y.transpose(0, 1).tanh());
        compare("bias only, 3-D", false, true, y -> y.reshape(4, 24, COLS).exp());
    }

    @Test
    void recordedBackwardDifferentiatesAgainAsReference() {
        List<double[]> expected = secondOrder("reference"), actual = secondOrder("cpu");
        for (int i = 0; i < expected.size(); i++) {
            assertClose(expected.get(i), actual.get(i), 2e-4, "second-order gradient " + i);
        }
    }

    /** @return the gradients of {@code sum(dx²)} (dx from a createGraph backward) w.r.t. x and weight */
    private static List<double[]> secondOrder(String device) {
        List<Tensor> xs = inputs(device, true, true);
        Tensor x = xs.get(0), w = xs.get(1);
        Tensor y = Functional.layerNorm(x, new int[] {COLS}, w, xs.get(2), 1e-5);
        Tensor r = Tensor.randn(new SplittableRandom(5), ROWS, COLS).to(device);
        Tensor dx = Autograd.grad(y.mul(r).sum(), List.of(x), null, true).get(0);
        dx.mul(dx).sum().backward();
        return List.of(dx.toDoubleArray(), x.grad().toDoubleArray(), w.grad().toDoubleArray());
    }
}
