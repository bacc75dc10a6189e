package dev.jgrad.nn;

import static dev.jgrad.nn.LayerTest.rejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgrad.Tensor;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every loss and reduction against PyTorch 1.13 (values and input gradients, F64). */
class LossesTest {
    private static final double TOL = 1e-10;
    private static final Fixture F = Fixture.load("losses");

    private static void check(String key, Reduction r, Tensor input, Function<Tensor, Tensor> loss) {
        String k = key + "." + r.name().toLowerCase(Locale.ROOT);
        Tensor x = input.detach().copy().requiresGrad(true);
        Tensor out = loss.apply(x);
        F.assertClose(k + ".out", out, TOL);
        out.backward(out.onesLike());
        F.assertClose(k + ".grad", x.grad(), TOL);
    }

    @Test
    void agreesWithPyTorch() {
        Tensor target = F.get("target"), pt = F.get("ptarget"), p = F.get("p"), labels = F.get("labels");
        for (Reduction r : Reduction.values()) {
            check("mse", r, F.get("pred"), x -> Losses.mse(x, target, r));
            check("l1", r, F.get("pred"), x -> Losses.l1(x, target, r));
            check("smoothL1", r, F.get("pred"), x -> Losses.smoothL1(x, target, 0.5, r));
            check("huber", r, F.get("pred"), x -> Losses.huber(x, target, 2.0, r));
            check("bce", r, F.get("probs"), x -> Losses.binaryCrossEntropy(x, pt, r));
            check("klDiv", r, F.get("logq"), x -> Losses.klDiv(x, p, r));
            check("crossEntropy0.0", r, F.get("logits"), x -> Losses.crossEntropy(x, labels, 0.0, r));
            check("crossEntropy0.1", r, F.get("logits"), x -> Losses.crossEntropy(x, labels, 0.1, r));
        }
        F.assertClose("bceEdge.out", Losses.binaryCrossEntropy(Tensor.of(new double[] {0, 1, 0.5}, 3),
                Tensor.of(new double[] {1, 0, 1}, 3), Reduction.NONE), TOL);
    }

    @Test
    void defaultsAreMeans() {
        Tensor a = Tensor.of(new float[] {0, 1, 4}, 3), b = Tensor.zeros(3);
        assertEquals(5.0 / 3, Losses.l1(a, b).item(), 1e-6);
        assertEquals(Losses.smoothL1(a, b, 1, Reduction.MEAN).item(), Losses.smoothL1(a, b, 1).item());
        assertEquals(Losses.huber(a, b, 1, Reduction.MEAN).item(), Losses.huber(a, b, 1).item());
        Tensor p = Tensor.of(new float[] {0f, 1f}, 2).requiresGrad(true);
        Tensor bce = Losses.binaryCrossEntropy(p, Tensor.of(new float[] {0, 1}, 2));
        assertEquals(0, bce.item(), 0);
        bce.backward();
        for (float g : p.grad().toFloatArray()) {
            assertEquals(false, Float.isNaN(g), "no NaN gradient at p = 0 or 1");
        }
        assertArrayEquals(new int[] {2}, Losses.mse(a.narrow(0, 0, 2), b.narrow(0, 0, 2), Reduction.NONE).shape());
    }

    @Test
    void badArguments() {
        Tensor a = Tensor.zeros(3);
        rejects(() -> Losses.binaryCrossEntropy(Tensor.of(new float[] {0.5f, 1.5f}, 2), Tensor.zeros(2)),
                "binaryCrossEntropy", "1.5", "[0, 1]");
        rejects(() -> Losses.l1(a, Tensor.zeros(4)), "l1", "[3]", "[4]");
        rejects(() -> Losses.smoothL1(a, a, -1), "smoothL1", "beta");
        rejects(() -> Losses.huber(a, a, 0), "huber", "delta");
        rejects(() -> Losses.crossEntropy(Tensor.zeros(2, 3), Tensor.of(new long[] {0, 1}, 2), 1.5),
                "labelSmoothing", "1.5");
    }
}
