package dev.jgrad.backend;

import java.util.Arrays;

/**
 * A strided window onto a {@link Buffer}: element {@code (i0, i1, ...)} lives at
 * {@code offset + i0*strides[0] + i1*strides[1] + ...}. Views never own memory; they are how
 * every primitive receives its operands, so transposes, slices and broadcasts need no copy.
 *
 * @param buffer  the underlying buffer
 * @param offset  element offset of index (0, ..., 0)
 * @param shape   extent of each dimension
 * @param strides element step of each dimension (0 means broadcast)
 */
public record View(Buffer buffer, int offset, int[] shape, int[] strides) {

    /** @return the number of elements addressed by this view */
    public int numel() {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** @return the number of dimensions */
    public int rank() {
        return shape.length;
    }

    /** @return whether the elements are addressed in row-major order with no gaps */
    public boolean isContiguous() {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** @return the row-major strides for {@code shape} */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return strides;
    }

    /** @return a contiguous view over the start of {@code buffer} with the given shape */
    public static View contiguous(Buffer buffer, int[] shape) {
        return new View(buffer, 0, shape, contiguousStrides(shape));
    }

    @Override
    public String toString() {
        return "View" + Arrays.toString(shape) + " strides " + Arrays.toString(strides) + " @" + offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof View v && v.buffer == buffer && v.offset == offset
                && Arrays.equals(v.shape, shape) && Arrays.equals(v.strides, strides);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(buffer) * 31 + offset * 17 + Arrays.hashCode(shape) + Arrays.hashCode(strides);
    }
}
