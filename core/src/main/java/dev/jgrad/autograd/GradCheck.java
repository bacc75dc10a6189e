package dev.jgrad.autograd;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Checks analytic gradients against central finite differences in F64, as PyTorch's
 * {@code gradcheck} and {@code gradgradcheck} do. A non-scalar output is contracted with a fixed
 * random tensor first, so every output element contributes.
 *
 * <p>An element passes when {@code |analytic - numeric| <= atol + rtol * |numeric|}. The result
 * names the worst element (the one closest to, or furthest past, that bound) with its index.
 */
public final class GradCheck {
    /** Default perturbation, PyTorch's. */
    public static final double EPS = 1e-6;
    /** Default absolute tolerance, PyTorch's. */
    public static final double ATOL = 1e-5;
    /** Default relative tolerance, PyTorch's. */
    public static final double RTOL = 1e-3;

    private GradCheck() {
    }

    /**
     * The outcome of a check.
     *
     * @param passed     whether every element was within tolerance
     * @param input      index of the input holding the worst element
     * @param index      flat index of the worst element within that input
     * @param analytic   the analytic gradient there
     * @param numeric    the finite-difference gradient there
     * @param worstRatio {@code |analytic - numeric| / (atol + rtol |numeric|)} there; passing means {@code <= 1}
     */
    public record Result(boolean passed, int input, int index, double analytic, double numeric, double worstRatio) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: worst element is input %d, flat index %d: analytic %.10g vs"
                    + " numeric %.10g (%.3g of the tolerance)", passed ? "passed" : "FAILED", input, index,
                    analytic, numeric, worstRatio);
        }
    }

    /** {@link #check(Function, List, double, double, double)} with PyTorch's default tolerances. */
    public static Result check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        return check(f, inputs, EPS, ATOL, RTOL);
    }

    /**
     * @param f      the function under test; called several times, it must be deterministic
     * @param inputs F64 tensors requiring grad (they are not modified)
     * @param eps    finite-difference step
     * @param atol   absolute tolerance
     * @param rtol   relative tolerance
     * @return the result, naming the worst element
     */
    public static Result check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, double eps, double atol,
                               double rtol) {
        validate(inputs);
        Tensor weights = contractionWeights(f, inputs);
        Function<List<Tensor>, Tensor> scalar = xs -> contract(f.apply(xs), weights);
        List<Tensor> analytic = analytic(scalar, inputs, false);
        boolean passed = true;
        int worstInput = 0, worstIndex = -1;
        double worstA = 0, worstN = 0, worstRatio = 0;
        for (int i = 0; i < inputs.size(); i++) {
            double[] a = analytic.get(i) == null ? new double[inputs.get(i).numel()] : analytic.get(i).toDoubleArray();
            double[] n = numeric(scalar, inputs, i, eps);
            for (int k = 0; k < n.length; k++) {
                double ratio = Math.abs(a[k] - n[k]) / (atol + rtol * Math.abs(n[k]));
                ratio = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
                passed &= ratio <= 1;
                if (worstIndex < 0 || ratio > worstRatio) {
                    worstInput = i;
                    worstIndex = k;
                    worstA = a[k];
                    worstN = n[k];
                    worstRatio = ratio;
                }
            }
        }
        return new Result(passed, worstInput, worstIndex, worstA, worstN, worstRatio);
    }

    /**
     * Second-order check (PyTorch's {@code gradgradcheck}): the gradient of
     * {@code <d<f, v>/d inputs, w>} computed through a {@code createGraph} backward is compared with
     * finite differences of the first-order gradient.
     *
     * @param f      the function under test
     * @param inputs F64 tensors requiring grad
     * @return the result, naming the worst element
     */
    public static Result checkSecondOrder(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        validate(inputs);
        Tensor v = contractionWeights(f, inputs);
        List<Tensor> w = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(11);
        for (Tensor in : inputs) {
            w.add(Tensor.randn(rng, DType.F64, in.shape()).to(in.device().name()));
        }
        Function<List<Tensor>, Tensor> gradDot = xs -> {
            List<Tensor> g = analytic(ys -> contract(f.apply(ys), v), xs, true);
            Tensor total = Tensor.scalar(0, DType.F64).to(xs.get(0).device().name());
            for (int i = 0; i < g.size(); i++) {
                if (g.get(i) != null) {
                    total = total.add(g.get(i).mul(w.get(i)).sum());
                }
            }
            return total;
        };
        return check(gradDot, inputs, EPS, ATOL, RTOL);
    }

    private static void validate(List<Tensor> inputs) {
        for (Tensor t : inputs) {
            if (t.dtype() != DType.F64 || !t.requiresGrad()) {
                throw new IllegalArgumentException("gradCheck: inputs must be F64 tensors that require grad; got "
                        + t.dtype() + " " + Arrays.toString(t.shape()) + (t.requiresGrad() ? "" : " without grad"));
            }
        }
    }

    private static Tensor contractionWeights(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        Tensor out;
        try (var g = NoGrad.enter()) {
            out = f.apply(inputs);
        }
        return Tensor.randn(new SplittableRandom(5), DType.F64, out.shape()).to(out.device().name());
    }

    private static Tensor contract(Tensor out, Tensor weights) {
        return out.mul(weights).sum();
    }

    private static List<Tensor> analytic(Function<List<Tensor>, Tensor> scalar, List<Tensor> inputs, boolean create) {
        boolean previous = NoGrad.setEnabled(true);
        try {
            Tensor s = scalar.apply(inputs);
            if (!s.requiresGrad()) {
                return Arrays.asList(new Tensor[inputs.size()]);
            }
            return Autograd.grad(s, inputs, null, create, true);
        } finally {
            NoGrad.setEnabled(previous);
        }
    }

    private static double[] numeric(Function<List<Tensor>, Tensor> scalar, List<Tensor> inputs, int which, double eps) {
        Tensor x = inputs.get(which);
        double[] base = x.toDoubleArray();
        double[] grad = new double[base.length];
        for (int k = 0; k < base.length; k++) {
            double plus = evaluate(scalar, inputs, which, base, k, base[k] + eps);
            double minus = evaluate(scalar, inputs, which, base, k, base[k] - eps);
            grad[k] = (plus - minus) / (2 * eps);
        }
        return grad;
    }

    private static double evaluate(Function<List<Tensor>, Tensor> scalar, List<Tensor> inputs, int which,
                                   double[] base, int k, double value) {
        double[] moved = base.clone();
        moved[k] = value;
        Tensor x = inputs.get(which);
        Tensor replaced = Tensor.of(moved, x.shape()).to(x.device().name()).requiresGrad(true);
        List<Tensor> args = new ArrayList<>(inputs);
        args.set(which, replaced);
        // Only the value is needed; a second-order check re-enables grad inside its own gradient.
        try (var g = NoGrad.enter()) {
            return scalar.apply(args).item();
        }
    }
}
