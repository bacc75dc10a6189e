package dev.jgrad.backend;

/**
 * Walks every index of a shape in row-major order while tracking one element offset per operand,
 * each with its own strides. It is the generic (slow, obviously right) loop behind the reference
 * backend and behind the general strided paths of faster backends.
 */
public final class Odometer {
    private final int[] shape;
    private final int[][] strides;
    private final int[] index;
    /** Current element offset of each operand; read it inside the loop body. */
    public final int[] offsets;

    /**
     * @param shape   the shape to walk
     * @param strides per operand, its strides over {@code shape}
     * @param offsets per operand, its offset at index (0, ..., 0)
     */
    public Odometer(int[] shape, int[][] strides, int[] offsets) {
        this.shape = shape;
        this.strides = strides;
        this.index = new int[shape.length];
        this.offsets = offsets.clone();
    }

    /** @return an odometer over the shape of {@code views[0]} for the given views */
    public static Odometer of(int[] shape, View... views) {
        int[][] strides = new int[views.length][];
        int[] offsets = new int[views.length];
        for (int v = 0; v < views.length; v++) {
            strides[v] = views[v].strides();
            offsets[v] = views[v].offset();
        }
        return new Odometer(shape, strides, offsets);
    }

    /** @return the number of indices in {@code shape} */
    public static int count(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** Advances to the next index. @return false once every index has been visited */
    public boolean next() {
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d]++;
            for (int v = 0; v < offsets.length; v++) {
                offsets[v] += strides[v][d];
            }
            if (index[d] < shape[d]) {
                return true;
            }
            for (int v = 0; v < offsets.length; v++) {
                offsets[v] -= strides[v][d] * shape[d];
            }
            index[d] = 0;
        }
        return false;
    }
}
