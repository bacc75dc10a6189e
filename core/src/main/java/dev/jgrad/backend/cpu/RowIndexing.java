package dev.jgrad.backend.cpu;

import dev.jgrad.DType;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.View;
import java.util.Arrays;

/**
 * Gather and scatter-add along the last dim of contiguous float views, row by row (rows split
 * between threads: a row of {@code out} is only written by its own row of {@code src}). Max
 * pooling's backward scatters a gradient of [64, 32, 14, 14] this way; the reference loop it
 * replaces walks an odometer and widens every element to double.
 */
final class RowIndexing {
    private static final int GRAIN = 1 << 16;

    private RowIndexing() {
    }

    /** @return whether {@link #gather} and {@link #scatterAdd} handle these operands */
    static boolean fast(View data, int dim, View index, View other) {
        int r = data.rank();
        return dim == r - 1 && data.buffer().dtype() != DType.I64 && data.isContiguous() && index.isContiguous()
                && other.isContiguous() && index.shape()[dim] > 0 && Arrays.equals(data.shape(), 0, r - 1,
                index.shape(), 0, r - 1);
    }

    /** {@code out[r, j] = in[r, index[r, j]]}; every index in range. */
    static void gather(View in, View index, View out) {
        int len = index.shape()[index.rank() - 1], inLen = in.shape()[in.rank() - 1];
        HeapBuffer x = (HeapBuffer) in.buffer(), o = (HeapBuffer) out.buffer();
        long[] idx = ((HeapBuffer) index.buffer()).i64;
        int rows = index.numel() / len, xo = in.offset(), io = index.offset(), oo = out.offset();
        Parallel.chunks(rows, Math.max(1, GRAIN / len), (from, to) -> {
            for (int r = from; r < to; r++) {
                for (int j = 0; j < len; j++) {
                    int at = xo + r * inLen + (int) idx[io + r * len + j];
                    if (o.dtype() == DType.F32) {
                        o.f32[oo + r * len + j] = x.f32[at];
                    } else {
                        o.f64[oo + r * len + j] = x.f64[at];
                    }
                }
            }
        });
    }

    /** {@code out[r, index[r, j]] += src[r, j]}; duplicates accumulate. */
    static void scatterAdd(View src, View index, View out) {
        int len = index.shape()[index.rank() - 1], outLen = out.shape()[out.rank() - 1];
        HeapBuffer s = (HeapBuffer) src.buffer(), o = (HeapBuffer) out.buffer();
        long[] idx = ((HeapBuffer) index.buffer()).i64;
        int rows = index.numel() / len, so = src.offset(), io = index.offset(), oo = out.offset();
        Parallel.chunks(rows, Math.max(1, GRAIN / len), (from, to) -> {
            for (int r = from; r < to; r++) {
                for (int j = 0; j < len; j++) {
                    int at = oo + r * outLen + (int) idx[io + r * len + j];
                    if (o.dtype() == DType.F32) {
                        o.f32[at] += s.f32[so + r * len + j];
                    } else {
                        o.f64[at] += s.f64[so + r * len + j];
                    }
                }
            }
        });
    }
}
