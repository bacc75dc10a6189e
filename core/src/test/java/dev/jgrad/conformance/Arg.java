package dev.jgrad.conformance;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One input of an {@link OpCase}: its shape and the kind of values it needs (a domain that keeps
 * the op smooth, or indices below a bound).
 *
 * @param shape shape of the input
 * @param kind  what values to draw
 * @param bound exclusive upper bound for {@link Kind#INDEX}
 */
public record Arg(int[] shape, Kind kind, int bound) {

    /** Value domains. */
    public enum Kind {
        /** standard normal */
        NORMAL,
        /** in [0.5, 1.5): for log, sqrt, pow with fractional exponents, divisors */
        POSITIVE,
        /** normal but at least 0.1 from zero and from each other's ties: for relu, abs, max kinks */
        KINK_SAFE,
        /** probabilities in [0, 1], not differentiated through a kink */
        PROB,
        /** 0/1 floats, used as a condition; never differentiated */
        MASK,
        /** I64 indices in [0, bound) */
        INDEX,
        /** standard normal with +Inf at flat position 1 (0 for one element): IEEE semantics of reductions and losses */
        POS_INF,
        /** standard normal with -Inf at flat position 1 */
        NEG_INF,
        /** standard normal with NaN at flat position 1 */
        NAN,
        /** standard normal with +Inf at flat position 1 and -Inf at 2 (their sum is NaN) */
        BOTH_INF;

        /** @return whether values of this kind are not all finite (finite differences do not apply) */
        public boolean nonFinite() {
            return this == POS_INF || this == NEG_INF || this == NAN || this == BOTH_INF;
        }
    }

    /** @return a standard-normal argument */
    public static Arg normal(int... shape) {
        return new Arg(shape, Kind.NORMAL, 0);
    }

    /** @return a positive argument */
    public static Arg positive(int... shape) {
        return new Arg(shape, Kind.POSITIVE, 0);
    }

    /** @return an argument kept away from kinks */
    public static Arg kinkSafe(int... shape) {
        return new Arg(shape, Kind.KINK_SAFE, 0);
    }

    /** @return a probability argument */
    public static Arg prob(int... shape) {
        return new Arg(shape, Kind.PROB, 0);
    }

    /** @return a 0/1 mask argument */
    public static Arg mask(int... shape) {
        return new Arg(shape, Kind.MASK, 0);
    }

    /** @return an I64 index argument with values in [0, bound) */
    public static Arg index(int bound, int... shape) {
        return new Arg(shape, Kind.INDEX, bound);
    }

    /** @return a standard-normal argument holding the non-finite values of {@code kind} */
    public static Arg nonFinite(Kind kind, int... shape) {
        if (!kind.nonFinite()) {
            throw new IllegalArgumentException("Arg.nonFinite: " + kind + " is a finite kind");
        }
        return new Arg(shape, kind, 0);
    }

    /** @return whether gradients are checked for this argument */
    public boolean differentiable() {
        return kind != Kind.MASK && kind != Kind.INDEX;
    }

    /** @return the values for this argument, drawn from {@code rng} */
    public double[] values(SplittableRandom rng) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (kind) {
                case NORMAL -> rng.nextGaussian();
                case POSITIVE -> 0.5 + rng.nextDouble();
                case KINK_SAFE -> (rng.nextBoolean() ? 1 : -1) * (0.1 + 0.1 * i + 0.05 * rng.nextDouble());
                case PROB -> rng.nextDouble();
                case MASK -> rng.nextBoolean() ? 1 : 0;
                case INDEX -> rng.nextInt(bound);
                case POS_INF, NEG_INF, NAN, BOTH_INF -> rng.nextGaussian();
            };
        }
        int at = Math.min(1, n - 1);
        switch (kind) {
            case POS_INF -> v[at] = Double.POSITIVE_INFINITY;
            case NEG_INF -> v[at] = Double.NEGATIVE_INFINITY;
            case NAN -> v[at] = Double.NaN;
            case BOTH_INF -> {
                v[at] = Double.POSITIVE_INFINITY;
                v[Math.min(2, n - 1)] = Double.NEGATIVE_INFINITY;
            }
            default -> {
            }
        }
        if (kind == Kind.KINK_SAFE) {
            shuffle(v, rng);
        }
        return v;
    }

    private static void shuffle(double[] v, SplittableRandom rng) {
        for (int i = v.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
    }

    /**
     * @param values  from {@link #values}
     * @param dtype   float dtype for float kinds (indices are always I64)
     * @param strided whether to lay the tensor out non-contiguously (same logical values)
     * @param device  target device
     * @param grad    whether a differentiable argument should require grad
     * @return the input tensor, a leaf
     */
    public Tensor make(double[] values, DType dtype, boolean strided, String device, boolean grad) {
        Tensor t;
        if (kind == Kind.INDEX) {
            long[] l = new long[values.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = (long) values[i];
            }
            t = Tensor.of(l, shape).to(device);
        } else {
            Tensor base = Tensor.of(values, shape).to(dtype).to(device);
            t = strided ? strided(base) : base;
        }
        return grad && differentiable() ? t.requiresGrad(true) : t;
    }

    /** Same values, non-contiguous layout: a transposed copy for rank >= 2, every other element for rank 1. */
    private static Tensor strided(Tensor base) {
        try (var g = NoGrad.enter()) {
            if (base.dim() >= 2) {
                return base.transpose(-1, -2).contiguous().transpose(-1, -2).detach();
            }
            if (base.dim() == 1) {
                return Tensor.stack(List.of(base, base.mul(0.0)), 1).select(1, 0).detach();
            }
            return base;
        }
    }
}
