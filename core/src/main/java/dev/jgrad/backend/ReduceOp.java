package dev.jgrad.backend;

/**
 * Reductions over a set of axes. {@link #ARGMAX} and {@link #ARGMIN} write {@code I64} indices
 * (row-major position within the reduced axes, first occurrence on ties, NaN counts as largest);
 * the others write the input's dtype. {@link #MAX} and {@link #MIN} propagate NaN.
 */
public enum ReduceOp {
    /** the sum; backends must not drift on long F32 rows (pairwise or blocked accumulation) */
    SUM,
    /** the largest element */
    MAX,
    /** the smallest element */
    MIN,
    /** the index of the largest element */
    ARGMAX,
    /** the index of the smallest element */
    ARGMIN;

    /** @return whether this reduction yields indices rather than values */
    public boolean yieldsIndex() {
        return this == ARGMAX || this == ARGMIN;
    }
}
