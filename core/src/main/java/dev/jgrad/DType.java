package dev.jgrad;

/**
 * Element types of a {@link Tensor}.
 *
 * <p>Floating-point dtypes never mix silently: an op on an {@code F32} and an {@code F64} tensor
 * is an error, as in a strict PyTorch configuration. {@code I64} holds indices and class labels and
 * is not differentiable.
 */
public enum DType {
    /** 32-bit IEEE-754 float, the default. */
    F32(4, true),
    /** 64-bit IEEE-754 float, for gradient checks and precision-sensitive work. */
    F64(8, true),
    /** 64-bit signed integer, for indices and labels. */
    I64(8, false);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** @return bytes per element */
    public int byteSize() {
        return byteSize;
    }

    /** @return whether this dtype is a floating-point type (and so can carry gradients) */
    public boolean isFloatingPoint() {
        return floating;
    }
}
