package dev.jgrad.backend;

/**
 * Elementwise two-input primitives. Operands arrive already broadcast to the output shape (stride 0
 * on broadcast dimensions). Comparison ops produce 1 or 0 in the operands' dtype.
 */
public enum BinaryOp {
    /** {@code a + b} */
    ADD,
    /** {@code a - b} */
    SUB,
    /** {@code a * b} */
    MUL,
    /** {@code a / b} */
    DIV,
    /** {@code max(a, b)}, NaN propagating */
    MAX,
    /** {@code min(a, b)}, NaN propagating */
    MIN,
    /** {@code a ^ b} */
    POW,
    /** {@code a > b ? 1 : 0} */
    GT,
    /** {@code a < b ? 1 : 0} */
    LT,
    /** {@code a == b ? 1 : 0} */
    EQ;

    /**
     * The defining scalar formula, in double precision.
     *
     * @param a left element
     * @param b right element
     * @return the result before rounding to the output dtype
     */
    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case POW -> StrictMath.pow(a, b);
            case GT -> a > b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case EQ -> a == b ? 1 : 0;
        };
    }
}
