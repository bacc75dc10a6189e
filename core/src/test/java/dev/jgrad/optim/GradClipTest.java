package dev.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** clipNorm (2, 1, inf, 3) and clipValue against torch.nn.utils (clip.txt), F64 to 1e-12 and F32 to 1e-5. */
class GradClipTest {
    private static final Fixtures F = new Fixtures("clip.txt");

    /** @return three leaves whose grads are the fixture's gradients (set by backward of sum(p * g)) */
    private static List<Tensor> withGrads(DType dt) {
        List<Tensor> ps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Tensor g = F.tensor("grad." + i, dt, "cpu");
            Tensor p = g.zerosLike().requiresGrad(true);
            p.mul(g).sum().backward();
            ps.add(p);
        }
        return ps;
    }

    @Test
    void clipNormMatchesPyTorch() {
        String[] labels = {"2", "1", "inf", "3", "2big"};
        double[] types = {2, 1, Double.POSITIVE_INFINITY, 3, 2};
        double[] maxNorms = {1, 1, 1, 1, 100};
        for (DType dt : new DType[] {DType.F64, DType.F32}) {
            double tol = dt == DType.F64 ? 1e-12 : 1e-5;
            for (int c = 0; c < labels.length; c++) {
                List<Tensor> ps = withGrads(dt);
                double total = GradClip.clipNorm(ps, maxNorms[c], types[c]);
                String what = "norm " + labels[c] + " " + dt;
                Fixtures.assertClose(F.values("norm" + labels[c] + ".total"), new double[] {total}, tol, 0, what);
                for (int i = 0; i < 3; i++) {
                    Fixtures.assertClose(F.values("norm" + labels[c] + "." + i), ps.get(i).grad().toDoubleArray(), tol,
                            1e-3, what + " grad " + i);
                }
            }
        }
    }

    @Test
    void clipValueMatchesPyTorch() {
        List<Tensor> ps = withGrads(DType.F64);
        int before = ps.get(0).grad().version();
        GradClip.clipValue(ps, 0.5);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(F.values("value." + i), ps.get(i).grad().toDoubleArray(), 0, "grad " + i);
        }
        assertTrue(ps.get(0).grad().version() > before, "clipping goes through the in-place gate (version bump)");
    }

    @Test
    void parametersWithoutGradAreSkippedAndNoGradsGiveZero() {
        Tensor lone = Tensor.zeros(3).requiresGrad(true);
        assertEquals(0, GradClip.clipNorm(List.of(lone), 1.0));
        List<Tensor> ps = new ArrayList<>(withGrads(DType.F64));
        ps.add(lone);
        double total = GradClip.clipNorm(ps, 1.0);
        Fixtures.assertClose(F.values("norm2.total"), new double[] {total}, 1e-12, 0, "total with a grad-less parameter");
    }

    @Test
    void nonFiniteNormRaisesWhenAskedAndLeavesGradsAlone() {
        Tensor p = Tensor.zeros(DType.F64, 2).requiresGrad(true);
        p.mul(Tensor.of(new double[] {Double.POSITIVE_INFINITY, 1}, 2)).sum().backward();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradClip.clipNorm(List.of(p), 1.0, 2, true));
        assertTrue(e.getMessage().startsWith("clipNorm: the total norm of order 2.0 of 1 gradients is Infinity"),
                e.getMessage());
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 1}, p.grad().toDoubleArray());
        assertEquals(Double.POSITIVE_INFINITY, GradClip.clipNorm(List.of(p), 1.0));
        assertTrue(Double.isNaN(p.grad().toDoubleArray()[0]), "without the option the grads are scaled by 0 as PyTorch");
    }

    @Test
    void badArguments() {
        List<Tensor> ps = withGrads(DType.F64);
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipNorm(ps, -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradClip.clipNorm(ps, 1, 0));
        assertEquals("clipNorm: normType must be > 0 (2, 1 or infinity), got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GradClip.clipValue(ps, Double.NaN));
        assertEquals("clipValue: the clip value must be >= 0, got NaN", e.getMessage());
    }
}
