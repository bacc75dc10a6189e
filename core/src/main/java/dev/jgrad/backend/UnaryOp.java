package dev.jgrad.backend;

/**
 * Elementwise one-input primitives. Each carries its scalar definition in double precision, which
 * the reference backend uses directly and every other backend is tested against. Ops named
 * {@code *_SCALAR} and {@link #LEAKY_RELU} take the primitive's {@code arg}; the others ignore it.
 * Comparison ops produce 1 or 0 in the input's dtype.
 */
public enum UnaryOp {
    /** {@code x}: a copy, also the way views become contiguous. */
    IDENTITY,
    /** {@code -x} */
    NEG,
    /** {@code e^x} */
    EXP,
    /** natural logarithm */
    LOG,
    /** square root */
    SQRT,
    /** {@code |x|} */
    ABS,
    /** {@code -1, 0 or 1} (NaN stays NaN) */
    SIGN,
    /** hyperbolic tangent */
    TANH,
    /** {@code 1 / (1 + e^-x)} */
    SIGMOID,
    /** {@code max(x, 0)} */
    RELU,
    /** {@code x} if positive, else {@code arg * x} */
    LEAKY_RELU,
    /**
     * the exact GELU {@code x * Phi(x) = x/2 * (1 + erf(x/sqrt 2))}; for negative x evaluated as
     * {@code x/2 * erfc(-x/sqrt 2)}, which keeps full relative precision in the tail
     */
    GELU,
    /** the error function */
    ERF,
    /** {@code log(1 + x)}, accurate for tiny {@code x} where {@code log(1 + x)} rounds to 0 */
    LOG1P,
    /** {@code x + arg} */
    ADD_SCALAR,
    /** {@code x * arg} */
    MUL_SCALAR,
    /** {@code x / arg} */
    DIV_SCALAR,
    /** {@code x ^ arg} */
    POW_SCALAR,
    /** {@code max(x, arg)}, NaN propagating */
    MAX_SCALAR,
    /** {@code min(x, arg)}, NaN propagating */
    MIN_SCALAR,
    /** {@code x > arg ? 1 : 0} */
    GT_SCALAR,
    /** {@code x >= arg ? 1 : 0} */
    GE_SCALAR,
    /** {@code x < arg ? 1 : 0} */
    LT_SCALAR,
    /** {@code x <= arg ? 1 : 0} */
    LE_SCALAR;

    /**
     * The defining scalar formula, in double precision.
     *
     * @param x   the element
     * @param arg the scalar argument of {@code *_SCALAR} ops and {@link #LEAKY_RELU}
     * @return the result before rounding to the output dtype
     */
    public double apply(double x, double arg) {
        return switch (this) {
            case IDENTITY -> x;
            case NEG -> -x;
            case EXP -> StrictMath.exp(x);
            case LOG -> StrictMath.log(x);
            case SQRT -> StrictMath.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case TANH -> StrictMath.tanh(x);
            case SIGMOID -> x >= 0 ? 1 / (1 + StrictMath.exp(-x)) : StrictMath.exp(x) / (1 + StrictMath.exp(x));
            case RELU -> x > 0 ? x : (Double.isNaN(x) ? x : 0.0);
            case LEAKY_RELU -> x > 0 ? x : x * arg;
            case GELU -> x < 0 ? 0.5 * x * Erf.erfc(-x * ONE_OVER_SQRT2) : 0.5 * x * (1 + Erf.erf(x * ONE_OVER_SQRT2));
            case ERF -> Erf.erf(x);
            case LOG1P -> StrictMath.log1p(x);
            case ADD_SCALAR -> x + arg;
            case MUL_SCALAR -> x * arg;
            case DIV_SCALAR -> x / arg;
            case POW_SCALAR -> StrictMath.pow(x, arg);
            case MAX_SCALAR -> Double.isNaN(x) ? x : Math.max(x, arg);
            case MIN_SCALAR -> Double.isNaN(x) ? x : Math.min(x, arg);
            case GT_SCALAR -> x > arg ? 1 : 0;
            case GE_SCALAR -> x >= arg ? 1 : 0;
            case LT_SCALAR -> x < arg ? 1 : 0;
            case LE_SCALAR -> x <= arg ? 1 : 0;
        };
    }

    private static final double ONE_OVER_SQRT2 = 0.7071067811865476;
}
