package dev.jgrad;

import java.util.Arrays;

/**
 * Argument validation shared by the front end. Every failure is an {@link IllegalArgumentException}
 * naming the op, the offending shapes, dtypes or devices, and what would be valid.
 */
final class Checks {
    private Checks() {
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** @return {@code dim} normalised to {@code [0, rank)}; negative dims count from the end */
    static int dim(String op, int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) {
            throw new IllegalArgumentException(op + ": dim " + dim + " is out of range for a tensor of rank " + rank
                    + (rank == 0 ? " (a scalar has no dims)" : "; valid dims are " + (-rank) + " to " + (rank - 1)));
        }
        return d;
    }

    /** The most elements a tensor holds: offsets and strides are ints, host buffers Java arrays. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE;

    /**
     * Validates a shape every tensor op creates, in overflow-checked arithmetic: no negative
     * dimension, and at most {@link #MAX_ELEMENTS} elements, counting the non-empty dims of an empty
     * shape too (their strides must fit, so {@code [0, 65536, 65536]} is refused).
     *
     * @param op the method the user called, named in the message
     * @return the element count
     */
    static int shape(String op, int[] shape) {
        long span = 1;
        boolean empty = false;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException(op + ": shape " + str(shape) + " has the negative dimension "
                        + shape[i] + " at index " + i + "; dimensions must be >= 0");
            }
            empty |= shape[i] == 0;
            // span <= 2^31 - 1 before and each factor < 2^31, so the product fits a long exactly.
            span = Math.multiplyExact(span, Math.max(shape[i], 1));
            if (span > MAX_ELEMENTS) {
                throw new IllegalArgumentException(op + ": shape " + str(shape) + " has "
                        + (empty ? "empty dims, but its other dims span " : "") + "more than " + MAX_ELEMENTS
                        + " elements; a tensor holds at most " + MAX_ELEMENTS + " (2^31 - 1) elements");
            }
        }
        return empty ? 0 : (int) span;
    }

    static void sameDevice(String op, Tensor a, Tensor b) {
        if (a.storage.device != b.storage.device && !a.device().equals(b.device())) {
            throw new IllegalArgumentException(op + ": tensors are on different devices: " + a.device() + " "
                    + str(a.shape()) + " and " + b.device() + " " + str(b.shape()) + "; move one with to(\""
                    + a.device() + "\")");
        }
    }

    static void sameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ: " + a.dtype() + " " + str(a.shape()) + " and "
                    + b.dtype() + " " + str(b.shape()) + "; jgrad does not promote silently, convert one with to(DType)");
        }
    }

    /** Same device and same dtype, the precondition of every binary op. */
    static void compatible(String op, Tensor a, Tensor b) {
        sameDevice(op, a, b);
        sameDType(op, a, b);
    }

    static void floating(String op, Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": needs a floating-point tensor (F32 or F64), got "
                    + t.dtype() + " " + str(t.shape()));
        }
    }

    static void index(String op, Tensor idx) {
        if (idx.dtype() != DType.I64) {
            throw new IllegalArgumentException(op + ": indices must be I64, got " + idx.dtype() + " "
                    + str(idx.shape()));
        }
    }

    /**
     * Throws unless every index lies in {@code [0, size)}: at once on host backends; on a device, at
     * its next synchronising point (the check runs there, so the queue never stalls on it).
     */
    static void indexRange(String op, Tensor idx, int size, String what) {
        idx.backend().checkRange(idx.desc(), 0, size - 1.0, (position, value) -> new IllegalArgumentException(
                op + ": " + what + " " + (long) value + " at position " + position
                        + " is out of range; valid values are 0 to " + (size - 1) + " (size " + size + ")"));
    }
}
