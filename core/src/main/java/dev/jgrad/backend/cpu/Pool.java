package dev.jgrad.backend.cpu;

import dev.jgrad.DType;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.View;
import dev.jgrad.backend.Window;

/**
 * Max and average pooling on heap buffers, one pass over the input: each thread takes whole
 * {@code (n, c)} planes, and each output cell scans its window's in-bounds part. Composing pooling
 * from unfold and a reduction over the window axis measured 120-140 ms for the CNN benchmark's
 * first pool ([64, 32, 28, 28], k 2): the strided reduction and the argmax pass ran on the
 * generic paths. This kernel writes the argmax in the same pass.
 */
final class Pool {
    private static final int GRAIN = 1 << 15;

    private Pool() {
    }

    static void pool2d(boolean max, View x, Window w, View out, View argmax) {
        int n = out.shape()[0], c = out.shape()[1];
        if (out.numel() == 0) {
            return;
        }
        int parts = Parallel.parts((long) out.numel() * w.kernelH() * w.kernelW(), GRAIN);
        boolean fast = max && inside(x, w, out);
        Parallel.blocks(n * c, parts, pl -> {
            if (fast) {
                maxPlaneInside(x, w, out, argmax, pl / c, pl % c);
            } else {
                plane(max, x, w, out, argmax, pl / c, pl % c);
            }
        });
    }

    private static void plane(boolean max, View x, Window w, View out, View argmax, int n, int c) {
        HeapBuffer src = (HeapBuffer) x.buffer(), dst = (HeapBuffer) out.buffer();
        long[] idx = argmax == null ? null : ((HeapBuffer) argmax.buffer()).i64;
        int[] xs = x.strides(), os = out.strides();
        int h = x.shape()[2], wd = x.shape()[3], oh = out.shape()[2], ow = out.shape()[3];
        int xBase = x.offset() + n * xs[0] + c * xs[1], oBase = out.offset() + n * os[0] + c * os[1];
        int iBase = argmax == null ? 0 : argmax.offset() + n * argmax.strides()[0] + c * argmax.strides()[1];
        double area = w.kernelH() * w.kernelW();
        boolean f32 = src.dtype() == DType.F32;
        for (int p = 0; p < oh; p++) {
            int r0 = p * w.strideH() - w.padH();
            int iLo = r0 >= 0 ? 0 : (-r0 + w.dilationH() - 1) / w.dilationH();
            int iHi = Math.min(w.kernelH(), h - 1 - r0 < 0 ? 0 : (h - 1 - r0) / w.dilationH() + 1);
            for (int q = 0; q < ow; q++) {
                int c0 = q * w.strideW() - w.padW();
                int jLo = c0 >= 0 ? 0 : (-c0 + w.dilationW() - 1) / w.dilationW();
                int jHi = Math.min(w.kernelW(), wd - 1 - c0 < 0 ? 0 : (wd - 1 - c0) / w.dilationW() + 1);
                double best = max ? Double.NEGATIVE_INFINITY : 0;
                int where = -1;
                for (int i = iLo; i < iHi; i++) {
                    int row = r0 + i * w.dilationH();
                    for (int j = jLo; j < jHi; j++) {
                        int col = c0 + j * w.dilationW();
                        int at = xBase + row * xs[2] + col * xs[3];
                        double v = f32 ? src.f32[at] : src.f64[at];
                        if (!max) {
                            best += v;
                        } else if (where < 0 || v > best || (v != v && best == best)) {
                            best = v;
                            where = row * wd + col;
                        }
                    }
                }
                int o = oBase + p * os[2] + q * os[3];
                double v = max ? best : best / area;
                if (f32) {
                    dst.f32[o] = (float) v;
                } else {
                    dst.f64[o] = v;
                }
                if (idx != null) {
                    idx[iBase + p * argmax.strides()[2] + q * argmax.strides()[3]] = where;
                }
            }
        }
    }

    /**
     * Whether every window of an F32 max pool lies inside the input (no padding, no dilation), so
     * {@link #maxPlaneInside} needs no clipping: the common {@code MaxPool2d(k)}. The general loop
     * clips each window with two integer divisions per output and widens to double, about 20 ns an
     * output (12 ms for the forward of the CNN benchmark's two pools on 2 threads, 6.6 ms with this path).
     */
    private static boolean inside(View x, Window w, View out) {
        return ((HeapBuffer) x.buffer()).dtype() == DType.F32 && w.padH() == 0 && w.padW() == 0
                && w.dilationH() == 1 && w.dilationW() == 1 && w.kernelW() <= 255
                && (out.shape()[2] - 1) * w.strideH() + w.kernelH() <= x.shape()[2]
                && (out.shape()[3] - 1) * w.strideW() + w.kernelW() <= x.shape()[3];
    }

    /**
     * Max pool of one F32 plane whose windows all lie inside it; the same selection as the general
     * loop: the first maximum in row-major window order, and the first NaN once one is met.
     */
    private static void maxPlaneInside(View x, Window w, View out, View argmax, int n, int c) {
        float[] src = ((HeapBuffer) x.buffer()).f32, dst = ((HeapBuffer) out.buffer()).f32;
        long[] idx = argmax == null ? null : ((HeapBuffer) argmax.buffer()).i64;
        int[] xs = x.strides(), os = out.strides(), is = argmax == null ? os : argmax.strides();
        int wd = x.shape()[3], oh = out.shape()[2], ow = out.shape()[3];
        int xBase = x.offset() + n * xs[0] + c * xs[1], oBase = out.offset() + n * os[0] + c * os[1];
        int iBase = argmax == null ? 0 : argmax.offset() + n * is[0] + c * is[1];
        boolean two = w.kernelH() == 2 && w.kernelW() == 2;
        for (int p = 0; p < oh; p++) {
            int r0 = p * w.strideH();
            for (int q = 0; q < ow; q++) {
                int c0 = q * w.strideW(), at = xBase + r0 * xs[2] + c0 * xs[3];
                long pick = two ? pick2x2(src, at, xs[2], xs[3]) : pick(src, at, xs, w.kernelH(), w.kernelW());
                int i = (int) (pick >>> 40), j = (int) (pick >>> 32) & 0xff, from = (int) pick;
                dst[oBase + p * os[2] + q * os[3]] = src[from];
                if (idx != null) {
                    idx[iBase + p * is[2] + q * is[3]] = (long) (r0 + i) * wd + c0 + j;
                }
            }
        }
    }

    /*
     * The window pickers return the chosen element's window row (bits 40+), column (bits 32-39) and
     * offset (low 32 bits). They are written for conditional moves: on real data each v > max is a
     * coin toss, and with a branch per compare the mispredictions took two thirds of the time (2 x 2
     * windows of random data: 15 ns an output with branches, 4.8 with selects). The running maximum
     * is Math.max, branch-free; it differs from the chosen element only in the sign of a zero (the
     * output is read back from the chosen offset) or in a NaN (then the window is scanned again for
     * its first NaN). The column field holds up to 255 (inside sends wider windows to the
     * general loop).
     */
    private static long pick2x2(float[] src, int at, int rs, int cs) {
        int o1 = at + cs, o2 = at + rs, o3 = o2 + cs;
        float max = src[at], v1 = src[o1], v2 = src[o2], v3 = src[o3];
        long pick = at;
        pick = v1 > max ? 1L << 32 | o1 : pick;
        max = Math.max(max, v1);
        pick = v2 > max ? 1L << 40 | o2 : pick;
        max = Math.max(max, v2);
        pick = v3 > max ? 1L << 40 | 1L << 32 | o3 : pick;
        max = Math.max(max, v3);
        return max != max ? firstNaN(src, at, rs, cs, 2, 2) : pick;
    }

    private static long pick(float[] src, int at, int[] xs, int kh, int kw) {
        float max = src[at];
        long pick = at;
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int off = at + i * xs[2] + j * xs[3];
                float v = src[off];
                pick = v > max ? (long) i << 40 | (long) j << 32 | off : pick;
                max = Math.max(max, v);
            }
        }
        return max != max ? firstNaN(src, at, xs[2], xs[3], kh, kw) : pick;
    }

    private static long firstNaN(float[] src, int at, int rs, int cs, int kh, int kw) {
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int off = at + i * rs + j * cs;
                if (src[off] != src[off]) {
                    return (long) i << 40 | (long) j << 32 | off;
                }
            }
        }
        throw new IllegalStateException("maxPool2d: a NaN maximum without a NaN in its window");
    }
}
