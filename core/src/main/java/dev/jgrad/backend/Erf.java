package dev.jgrad.backend;

/**
 * The error function in double precision, which {@code java.lang.Math} lacks. It serves GELU and
 * {@code Tensor.erf} on every CPU-side backend.
 *
 * <p>Two convergent expansions, each used where it needs no cancellation: for {@code |x| < 2.5}
 * the series {@code erf x = 2/sqrt(pi) e^(-x^2) sum_n (2x^2)^n x / (2n+1)!!}, whose terms are all
 * positive; beyond, the continued fraction of {@code erfc}, evaluated by the modified Lentz method.
 * Both reach about 1 ulp.
 */
public final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;
    private static final double SERIES_LIMIT = 2.5;

    private Erf() {
    }

    /**
     * @param x any double
     * @return erf(x); NaN for NaN, +-1 for +-infinity
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        double r = a < SERIES_LIMIT ? series(a) : 1 - erfcContinuedFraction(a);
        return Math.copySign(r, x);
    }

    /**
     * @param x any double
     * @return {@code erfc(x) = 1 - erf(x)}, without the cancellation of that formula for large x
     */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < SERIES_LIMIT) {
            return 1 - erf(x);
        }
        return erfcContinuedFraction(x);
    }

    private static double series(double a) {
        double twoA2 = 2 * a * a;
        double term = a;
        double sum = a;
        for (int n = 1; n < 200 && term > 1e-17 * sum; n++) {
            term *= twoA2 / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * StrictMath.exp(-a * a) * sum;
    }

    private static double erfcContinuedFraction(double a) {
        if (a > 27) {
            return 0;
        }
        // f = a + (1/2)/(a + 1/(a + (3/2)/(a + ...))): partial numerators n/2.
        double f = a;
        double c = a;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double an = 0.5 * n;
            d = 1 / (a + an * d);
            c = a + an / c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return StrictMath.exp(-a * a) * ONE_OVER_SQRT_PI / f;
    }
}
