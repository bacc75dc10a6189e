package dev.jgrad;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.GradCheck;
import dev.jgrad.conformance.Arg;
import dev.jgrad.conformance.OpCase;
import dev.jgrad.conformance.OpTable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Finite-difference checks in F64 of every differentiable row of the op table on finite inputs, and
 * second order for smooth ones (the non-finite rows are checked against reference only).
 */
class GradCheckTest {

    private static List<Tensor> inputs(OpCase c) {
        SplittableRandom rng = new SplittableRandom(c.name().hashCode() * 31L);
        List<Tensor> xs = new ArrayList<>();
        for (Arg a : c.args()) {
            xs.add(a.make(a.values(rng), DType.F64, false, "reference", true));
        }
        return xs;
    }

    /** Wraps a case so the checker varies only its differentiable inputs. */
    private static GradCheck.Result check(OpCase c, boolean secondOrder) {
        List<Tensor> all = inputs(c);
        List<Integer> diff = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (c.args().get(i).differentiable()) {
                diff.add(i);
            }
        }
        List<Tensor> varied = diff.stream().map(all::get).toList();
        java.util.function.Function<List<Tensor>, Tensor> f = xs -> {
            List<Tensor> args = new ArrayList<>(all);
            for (int k = 0; k < diff.size(); k++) {
                args.set(diff.get(k), xs.get(k));
            }
            return c.fn().apply(args);
        };
        return secondOrder ? GradCheck.checkSecondOrder(f, varied) : GradCheck.check(f, varied);
    }

    /** Rows whose output carries a gradient (argmax and friends return indices and do not). */
    private static boolean hasGradient(OpCase c) {
        return c.differentiable() && c.fn().apply(inputs(c)).requiresGrad();
    }

    @TestFactory
    Stream<DynamicTest> firstOrder() {
        return OpTable.finite().stream().filter(GradCheckTest::hasGradient).map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            GradCheck.Result r = check(c, false);
            assertTrue(r.passed(), c.name() + " " + r);
        }));
    }

    @TestFactory
    Stream<DynamicTest> secondOrder() {
        return OpTable.finite().stream().filter(OpCase::smooth).map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            GradCheck.Result r = check(c, true);
            assertTrue(r.passed(), c.name() + " " + r);
        }));
    }

    @Test
    void aWrongGradientIsCaughtAndLocated() {
        // A hook that corrupts one element must make the check fail and name that element.
        Tensor x = Tensor.of(new double[] {0.3, -0.7, 1.1}, 3).requiresGrad(true);
        GradCheck.Result r = GradCheck.check(xs -> {
            Tensor y = xs.get(0).exp();
            if (y.requiresGrad()) {
                y.registerHook(g -> g.mul(Tensor.of(new double[] {1, 1, 2}, 3)));
            }
            return y;
        }, List.of(x));
        assertFalse(r.passed(), r.toString());
        assertTrue(r.index() == 2, r.toString());
    }
}
