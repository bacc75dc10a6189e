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

    /** @return the element count of a validated shape */
    static int shape(String op, int[] shape) {
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException(op + ": shape " + str(shape) + " has the negative dimension "
                        + shape[i] + " at index " + i + "; dimensions must be >= 0");
            }
            n *= shape[i];
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": shape " + str(shape) + " has more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
        return (int) n;
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

    /** Throws unless every index lies in {@code [0, size)}; reads the indices to the host. */
    static void indexRange(String op, Tensor idx, int size, String what) {
        long[] values = idx.toLongArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= size) {
                throw new IllegalArgumentException(op + ": " + what + " " + values[i] + " at position " + i
                        + " is out of range; valid values are 0 to " + (size - 1) + " (size " + size + ")");
            }
        }
    }
}
