package dev.jgrad.backend.cpu;

/**
 * Copies a transposed matrix view into row-major order in 32×32 tiles. Copying it row by row reads
 * one element per cache line, and for power-of-two leading dimensions all those lines fall into
 * the same cache sets and evict each other; a tile's lines stay resident until they are used up.
 */
final class Transpose {
    private static final int TILE = 32;

    private Transpose() {
    }

    /** {@code dst[doff + i*cols + j] = src[soff + i + j*ld]} for an {@code rows × cols} result. */
    static void copy(float[] src, int soff, int ld, float[] dst, int doff, int rows, int cols) {
        for (int i0 = 0; i0 < rows; i0 += TILE) {
            int i1 = Math.min(rows, i0 + TILE);
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(cols, j0 + TILE);
                for (int j = j0; j < j1; j++) {
                    int s = soff + j * ld;
                    for (int i = i0; i < i1; i++) {
                        dst[doff + i * cols + j] = src[s + i];
                    }
                }
            }
        }
    }

    /** The F64 twin of {@link #copy(float[], int, int, float[], int, int, int)}. */
    static void copy(double[] src, int soff, int ld, double[] dst, int doff, int rows, int cols) {
        for (int i0 = 0; i0 < rows; i0 += TILE) {
            int i1 = Math.min(rows, i0 + TILE);
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(cols, j0 + TILE);
                for (int j = j0; j < j1; j++) {
                    int s = soff + j * ld;
                    for (int i = i0; i < i1; i++) {
                        dst[doff + i * cols + j] = src[s + i];
                    }
                }
            }
        }
    }
}
