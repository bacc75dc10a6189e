package dev.jgrad.nn;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Weight initialisation, PyTorch's {@code torch.nn.init}: each method fills a floating-point tensor
 * in place (without recording, bumping its version) and returns it. The forms without a generator
 * draw from {@link #defaultGenerator()}. Fans follow PyTorch: for a weight {@code [out, in, k...]},
 * {@code fanIn = in * prod(k)} and {@code fanOut = out * prod(k)}.
 */
public final class Init {
    private static final double SQRT3 = Math.sqrt(3);
    private Init() {
    }

    /** Which fan {@link #kaimingUniform} and {@link #kaimingNormal} scale by. */
    public enum FanMode {
        /** preserves the variance of activations in the forward pass (PyTorch's default) */
        FAN_IN,
        /** preserves the variance of gradients in the backward pass */
        FAN_OUT
    }

    /** Nonlinearities with PyTorch's recommended gains ({@code torch.nn.init.calculate_gain}). */
    public enum Nonlinearity {
        /** gain 1 */
        LINEAR,
        /** gain 1 (convolutions are linear) */
        CONV,
        /** gain 1 */
        SIGMOID,
        /** gain 5/3 */
        TANH,
        /** gain sqrt(2) */
        RELU,
        /** gain sqrt(2 / (1 + a^2)) for negative slope a */
        LEAKY_RELU,
        /** gain 3/4 */
        SELU
    }

    /** @return the generator used when none is given: {@link Tensor#defaultGenerator()} ({@link Tensor#manualSeed}) */
    public static RandomGenerator defaultGenerator() {
        return Tensor.defaultGenerator();
    }

    /**
     * @param param for LEAKY_RELU the negative slope (PyTorch's default 0.01 when NaN); ignored otherwise
     * @return PyTorch's {@code calculate_gain(nonlinearity, param)}
     */
    public static double gain(Nonlinearity nonlinearity, double param) {
        return switch (nonlinearity) {
            case LINEAR, CONV, SIGMOID -> 1;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2);
            case LEAKY_RELU -> {
                double a = Double.isNaN(param) ? 0.01 : param;
                yield Math.sqrt(2 / (1 + a * a));
            }
            case SELU -> 0.75;
        };
    }

    /** Fills {@code t} from {@code U(a, b)}. @return t */
    public static Tensor uniform(Tensor t, double a, double b, RandomGenerator rng) {
        if (!(a <= b)) {
            throw new IllegalArgumentException("Init.uniform: needs a <= b, got a=" + a + ", b=" + b);
        }
        double[] v = new double[t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a + (b - a) * rng.nextDouble();
        }
        return fill("uniform", t, v);
    }

    /** {@link #uniform(Tensor, double, double, RandomGenerator)} from the default generator. */
    public static Tensor uniform(Tensor t, double a, double b) {
        return uniform(t, a, b, defaultGenerator());
    }

    /** Fills {@code t} from {@code N(mean, std^2)}. @return t */
    public static Tensor normal(Tensor t, double mean, double std, RandomGenerator rng) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("Init.normal: std must be >= 0, got " + std);
        }
        double[] v = new double[t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * rng.nextGaussian();
        }
        return fill("normal", t, v);
    }

    /** {@link #normal(Tensor, double, double, RandomGenerator)} from the default generator. */
    public static Tensor normal(Tensor t, double mean, double std) {
        return normal(t, mean, std, defaultGenerator());
    }

    /** Sets every element to {@code value}. @return t */
    public static Tensor constant(Tensor t, double value) {
        try (var g = NoGrad.enter()) {
            return t.fillInPlace(value);
        }
    }

    /** @return {@code t} filled with zeros */
    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    /** @return {@code t} filled with ones */
    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    /** Glorot uniform: {@code U(-b, b)}, {@code b = gain * sqrt(6 / (fanIn + fanOut))}. @return t */
    public static Tensor xavierUniform(Tensor t, double gain, RandomGenerator rng) {
        int[] f = fans("xavierUniform", t);
        double bound = SQRT3 * gain * Math.sqrt(2.0 / (f[0] + f[1]));
        return uniform(t, -bound, bound, rng);
    }

    /** {@link #xavierUniform(Tensor, double, RandomGenerator)} with gain 1 from the default generator. */
    public static Tensor xavierUniform(Tensor t) {
        return xavierUniform(t, 1, defaultGenerator());
    }

    /** Glorot normal: {@code N(0, std^2)}, {@code std = gain * sqrt(2 / (fanIn + fanOut))}. @return t */
    public static Tensor xavierNormal(Tensor t, double gain, RandomGenerator rng) {
        int[] f = fans("xavierNormal", t);
        return normal(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), rng);
    }

    /** {@link #xavierNormal(Tensor, double, RandomGenerator)} with gain 1 from the default generator. */
    public static Tensor xavierNormal(Tensor t) {
        return xavierNormal(t, 1, defaultGenerator());
    }

    /**
     * He uniform: {@code U(-b, b)}, {@code b = sqrt(3) * gain(nonlinearity, a) / sqrt(fan)}.
     *
     * @param a the negative slope for LEAKY_RELU
     * @return t
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity,
            RandomGenerator rng) {
        double bound = SQRT3 * kaimingStd("kaimingUniform", t, a, mode, nonlinearity);
        return uniform(t, -bound, bound, rng);
    }

    /** PyTorch's defaults {@code a = 0, FAN_IN, LEAKY_RELU} from the default generator. @return t */
    public static Tensor kaimingUniform(Tensor t) {
        return kaimingUniform(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, defaultGenerator());
    }

    /** He normal: {@code N(0, std^2)}, {@code std = gain(nonlinearity, a) / sqrt(fan)}. @return t */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity,
            RandomGenerator rng) {
        return normal(t, 0, kaimingStd("kaimingNormal", t, a, mode, nonlinearity), rng);
    }

    /** PyTorch's defaults {@code a = 0, FAN_IN, LEAKY_RELU} from the default generator. @return t */
    public static Tensor kaimingNormal(Tensor t) {
        return kaimingNormal(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, defaultGenerator());
    }

    private static double kaimingStd(String op, Tensor t, double a, FanMode mode, Nonlinearity nl) {
        int[] f = fans(op, t);
        int fan = mode == FanMode.FAN_IN ? f[0] : f[1];
        if (fan == 0) {
            throw new IllegalArgumentException("Init." + op + ": the " + mode + " of shape "
                    + Arrays.toString(t.shape()) + " is 0");
        }
        return gain(nl, a) / Math.sqrt(fan);
    }

    /**
     * @return {@code {fanIn, fanOut}} of a weight with at least 2 dims, PyTorch's
     *         {@code _calculate_fan_in_and_fan_out}
     * @throws IllegalArgumentException for fewer than 2 dims
     */
    public static int[] fans(Tensor t) {
        return fans("fans", t);
    }

    private static int[] fans(String op, Tensor t) {
        int[] s = t.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("Init." + op + ": fan in and fan out need a tensor with at least 2"
                    + " dims, got shape " + Arrays.toString(s));
        }
        int receptive = 1;
        for (int d = 2; d < s.length; d++) {
            receptive *= s[d];
        }
        return new int[] {s[1] * receptive, s[0] * receptive};
    }

    private static Tensor fill(String op, Tensor t, double[] v) {
        Objects.requireNonNull(t, "t");
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Init." + op + ": needs a floating-point tensor, got " + t.dtype()
                    + " " + Arrays.toString(t.shape()));
        }
        try (var g = NoGrad.enter()) {
            Tensor src = Tensor.of(v, t.shape()).to(t.dtype()).to(t.device().name());
            return t.copyInPlace(src);
        }
    }
}
