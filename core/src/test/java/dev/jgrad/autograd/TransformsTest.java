package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Transforms against PyTorch 1.13's {@code torch.autograd.functional} (fixtures written by
 * {@code src/test/python/transforms_fixtures.py}, whose functions are mirrored here) and against
 * finite differences.
 */
class TransformsTest {
    private static final Fixtures FX = Fixtures.load("/dev/jgrad/autograd/transforms.txt");
    private static final double TORCH_TOL = 1e-12;
    private static final double FD_EPS = 1e-6;
    private static final double FD_TOL = 1e-6;

    private static Tensor ew(Tensor x) {
        return x.tanh().mul(x.exp()).add(x.pow(3));
    }

    private static Function<Tensor, Tensor> softmaxOfProduct(Tensor w) {
        return x -> x.matmul(w).softmax(1);
    }

    private static Function<Tensor, Tensor> scalar(Tensor a) {
        return x -> x.sigmoid().mul(x.tanh()).sum()
                .add(x.unsqueeze(0).matmul(a).matmul(x.unsqueeze(1)).sum())
                .add(x.exp().sum().log());
    }

    private static Tensor twoInputs(List<Tensor> xs) {
        return xs.get(0).matmul(xs.get(1)).tanh();
    }

    private static Tensor twoInputsScalar(List<Tensor> xs) {
        Tensor p = xs.get(0).matmul(xs.get(1));
        return p.sigmoid().mul(p).sum();
    }

    @Test
    void singleInputTransformsMatchPyTorch() {
        Tensor x = FX.get("ew.x");
        FX.assertClose("ew.vjp", Transforms.vjp(TransformsTest::ew, x, FX.get("ew.vout")), TORCH_TOL);
        FX.assertClose("ew.jvp", Transforms.jvp(TransformsTest::ew, x, FX.get("ew.vin")), TORCH_TOL);
        FX.assertClose("ew.jacobian", Transforms.jacobian(TransformsTest::ew, x), TORCH_TOL);

        Function<Tensor, Tensor> sm = softmaxOfProduct(FX.get("sm.w"));
        Tensor xs = FX.get("sm.x");
        FX.assertClose("sm.vjp", Transforms.vjp(sm, xs, FX.get("sm.vout")), TORCH_TOL);
        FX.assertClose("sm.jvp", Transforms.jvp(sm, xs, FX.get("sm.vin")), TORCH_TOL);
        FX.assertClose("sm.jacobian", Transforms.jacobian(sm, xs), TORCH_TOL);

        Function<Tensor, Tensor> s = scalar(FX.get("sc.a"));
        FX.assertClose("sc.hessian", Transforms.hessian(s, FX.get("sc.x")), TORCH_TOL);
        FX.assertClose("sc.hvp", Transforms.hvp(s, FX.get("sc.x"), FX.get("sc.v")), TORCH_TOL);
    }

    @Test
    void multiInputTransformsMatchPyTorch() {
        List<Tensor> xs = List.of(FX.get("mi.x"), FX.get("mi.w"));
        List<Tensor> vs = List.of(FX.get("mi.vx"), FX.get("mi.vw"));
        List<Tensor> vjp = Transforms.vjp(TransformsTest::twoInputs, xs, FX.get("mi.vout"), false);
        FX.assertClose("mi.vjp.x", vjp.get(0), TORCH_TOL);
        FX.assertClose("mi.vjp.w", vjp.get(1), TORCH_TOL);
        FX.assertClose("mi.jvp", Transforms.jvp(TransformsTest::twoInputs, xs, vs, false), TORCH_TOL);
        List<Tensor> jac = Transforms.jacobian(TransformsTest::twoInputs, xs, false);
        FX.assertClose("mi.jacobian.x", jac.get(0), TORCH_TOL);
        FX.assertClose("mi.jacobian.w", jac.get(1), TORCH_TOL);
        List<List<Tensor>> h = Transforms.hessian(TransformsTest::twoInputsScalar, xs, false);
        FX.assertClose("mi.hessian.xx", h.get(0).get(0), TORCH_TOL);
        FX.assertClose("mi.hessian.xw", h.get(0).get(1), TORCH_TOL);
        FX.assertClose("mi.hessian.wx", h.get(1).get(0), TORCH_TOL);
        FX.assertClose("mi.hessian.ww", h.get(1).get(1), TORCH_TOL);
        List<Tensor> hvp = Transforms.hvp(TransformsTest::twoInputsScalar, xs, vs, false);
        FX.assertClose("mi.hvp.x", hvp.get(0), TORCH_TOL);
        FX.assertClose("mi.hvp.w", hvp.get(1), TORCH_TOL);
    }

    /** Central differences of f at x along every basis direction, laid out as f(x).shape ++ x.shape. */
    private static double[] numericJacobian(Function<Tensor, Tensor> f, Tensor x) {
        double[] base = x.toDoubleArray();
        int m = f.apply(x).numel();
        double[] jac = new double[m * base.length];
        for (int j = 0; j < base.length; j++) {
            double[] plus = base.clone(), minus = base.clone();
            plus[j] += FD_EPS;
            minus[j] -= FD_EPS;
            double[] fp = f.apply(Tensor.of(plus, x.shape())).toDoubleArray();
            double[] fm = f.apply(Tensor.of(minus, x.shape())).toDoubleArray();
            for (int i = 0; i < m; i++) {
                jac[i * base.length + j] = (fp[i] - fm[i]) / (2 * FD_EPS);
            }
        }
        return jac;
    }

    private static void assertClose(double[] expected, Tensor actual, double tol, String what) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, what + ": size");
        for (int i = 0; i < a.length; i++) {
            assertTrue(Math.abs(expected[i] - a[i]) <= tol * (1 + Math.abs(expected[i])),
                    what + "[" + i + "]: expected " + expected[i] + " but got " + a[i]);
        }
    }

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), DType.F64, shape);
    }

    @Test
    void jacobianJvpAndVjpAgreeWithFiniteDifferences() {
        Function<Tensor, Tensor> f = softmaxOfProduct(randn(1, 3, 4)).andThen(y -> y.mul(y.sum(1, true).exp()));
        Tensor x = randn(2, 2, 3);
        double[] numeric = numericJacobian(f, x);
        Tensor jac = Transforms.jacobian(f, x);
        assertArrayEquals(new int[] {2, 4, 2, 3}, jac.shape());
        assertClose(numeric, jac, FD_TOL, "jacobian");
        Tensor v = randn(3, 2, 3), u = randn(4, 2, 4);
        Tensor jm = jac.reshape(8, 6);
        assertClose(jm.matmul(v.reshape(6, 1)).toDoubleArray(), Transforms.jvp(f, x, v).reshape(8, 1), 1e-12, "jvp");
        assertClose(u.reshape(1, 8).matmul(jm).toDoubleArray(), Transforms.vjp(f, x, u).reshape(1, 6), 1e-12, "vjp");
    }

    @Test
    void hessianAndHvpAgreeWithFiniteDifferencesOfTheGradient() {
        Function<Tensor, Tensor> s = scalar(randn(5, 3, 3));
        Tensor x = randn(6, 3);
        Function<Tensor, Tensor> grad = z -> {
            Tensor leaf = z.detach().requiresGrad(true);
            return Autograd.grad(s.apply(leaf), List.of(leaf), null, false).get(0);
        };
        Tensor h = Transforms.hessian(s, x);
        assertArrayEquals(new int[] {3, 3}, h.shape());
        assertClose(numericJacobian(grad, x), h, FD_TOL, "hessian");
        Tensor v = randn(7, 3);
        assertClose(h.matmul(v.reshape(3, 1)).toDoubleArray(), Transforms.hvp(s, x, v), 1e-12, "hvp");
    }

    @Test
    void float32InputsGiveFloat32Results() {
        Tensor x = randn(8, 4).to(DType.F32);
        Tensor jac = Transforms.jacobian(TransformsTest::ew, x);
        assertEquals(DType.F32, jac.dtype());
        assertClose(numericJacobian(TransformsTest::ew, x.to(DType.F64)), jac, 1e-4, "F32 jacobian");
    }

    @Test
    void resultsAreDetachedAndInputsUntouchedWithoutCreateGraph() {
        Tensor x = randn(9, 3).requiresGrad(true);
        double[] before = x.toDoubleArray();
        Tensor j = Transforms.jacobian(TransformsTest::ew, x);
        Tensor g = Transforms.vjp(TransformsTest::ew, x, randn(10, 3));
        Tensor h = Transforms.hessian(z -> ew(z).sum(), x);
        assertFalse(j.requiresGrad() || g.requiresGrad() || h.requiresGrad(), "results outside the graph");
        assertNull(x.grad(), "no .grad written");
        assertArrayEquals(before, x.toDoubleArray());
    }

    @Test
    void createGraphResultsDifferentiateAgainWithRespectToTheCallersInput() {
        Function<Tensor, Tensor> s = scalar(randn(11, 4, 4));
        Tensor x = randn(12, 4).requiresGrad(true);
        // The gradient (vjp with v = 1), recorded, differentiated again: its Jacobian is the Hessian.
        Tensor hessianByJacobian = Transforms.jacobian(z -> Transforms.vjp(s, z, Tensor.scalar(1, DType.F64), true), x);
        assertClose(Transforms.hessian(s, x).toDoubleArray(), hessianByJacobian, 1e-12, "jacobian of vjp");
        // d/dx sum(jvp(f, x, v)) reaches x itself through the recorded graph.
        Tensor v = randn(13, 4);
        Tensor jv = Transforms.jvp(TransformsTest::ew, x, v, true);
        assertTrue(jv.requiresGrad());
        jv.sum().backward();
        Function<Tensor, Tensor> sumJvp = z -> Transforms.jvp(TransformsTest::ew, z, v).sum().reshape(1);
        assertClose(numericJacobian(sumJvp, x.detach()), x.grad(), FD_TOL, "grad of jvp");
        Tensor hv = Transforms.hvp(s, x, v, true);
        assertTrue(hv.requiresGrad() && Transforms.hessian(s, x, true).requiresGrad());
    }

    @Test
    void edgeCases() {
        Tensor x = randn(14, 2, 3);
        Tensor eye = Transforms.jacobian(z -> z, x);
        assertArrayEquals(new int[] {2, 3, 2, 3}, eye.shape());
        assertEquals(6.0, eye.sum().item());
        assertEquals(1.0, eye.reshape(6, 6).select(0, 4).select(0, 4).item());
        Tensor constant = Tensor.ones(DType.F64, 2);
        assertArrayEquals(new double[2 * 6], Transforms.jacobian(z -> constant, x).toDoubleArray());
        assertArrayEquals(new double[2], Transforms.jvp(z -> constant, x, randn(15, 2, 3)).toDoubleArray(), 0);
        Tensor empty = Transforms.jacobian(z -> z.narrow(0, 0, 0), x);
        assertArrayEquals(new int[] {0, 3, 2, 3}, empty.shape());
        Tensor scalarIn = Tensor.scalar(0.5, DType.F64);
        assertEquals(Math.exp(0.5) * 2, Transforms.jacobian(z -> z.exp().mul(2), scalarIn).item(), 1e-15);
        assertEquals(2.0, Transforms.hessian(z -> z.mul(z).sum(), scalarIn).item(), 1e-15);
        try (var g = NoGrad.enter()) {
            assertEquals(3, Transforms.vjp(TransformsTest::ew, x.select(0, 0), randn(16, 3)).numel());
        }
    }

    @Test
    void badArgumentsNameTheTransformAndTheShapes() {
        Tensor x = randn(17, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Transforms.vjp(TransformsTest::ew, x, randn(18, 4)));
        assertTrue(e.getMessage().contains("vjp") && e.getMessage().contains("[4]") && e.getMessage().contains("[3]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Transforms.jvp(TransformsTest::ew, x, randn(18, 2)));
        assertTrue(e.getMessage().startsWith("jvp: v[0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Transforms.hessian(TransformsTest::ew, x));
        assertTrue(e.getMessage().contains("hessian") && e.getMessage().contains("[3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Transforms.hvp(z -> z.sum(), x, x.to(DType.F32)));
        assertTrue(e.getMessage().contains("F32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Transforms.jacobian(z -> z, Tensor.arange(3)));
        assertTrue(e.getMessage().contains("I64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Transforms.jacobian(z -> null, x));
        assertTrue(e.getMessage().contains("returned null"), e.getMessage());
    }
}
