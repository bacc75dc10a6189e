package dev.jgrad.backend.cpu;

import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.Odometer;
import dev.jgrad.backend.View;

/**
 * {@code gather} and {@code scatterAdd} on the cpu: one {@link Odometer} walk over the index with
 * the indexed dim's stride zeroed, reading and writing the typed arrays directly (any dtype of the
 * data, I64 included). They stay scalar on purpose: the Vector API's indexed loads take int
 * offsets, so converting the I64 indices costs what the gathered load would save, and a
 * scatter with duplicate indices must accumulate in order.
 */
final class Indexing {
    private Indexing() {
    }

    /** {@code out[..j..] = in[..index[..j..]..]} along {@code dim}; {@code index} and {@code out} share a shape. */
    static void gather(View in, int dim, View index, View out) {
        if (out.numel() == 0) {
            return;
        }
        HeapBuffer x = (HeapBuffer) in.buffer(), o = (HeapBuffer) out.buffer();
        long[] idx = ((HeapBuffer) index.buffer()).i64;
        int[] inStrides = in.strides().clone();
        int step = inStrides[dim];
        inStrides[dim] = 0;
        Odometer it = new Odometer(index.shape(), new int[][] {index.strides(), out.strides(), inStrides},
                new int[] {index.offset(), out.offset(), in.offset()});
        int[] p = it.offsets;
        switch (o.dtype()) {
            case F32 -> {
                do {
                    o.f32[p[1]] = x.f32[p[2] + (int) idx[p[0]] * step];
                } while (it.next());
            }
            case F64 -> {
                do {
                    o.f64[p[1]] = x.f64[p[2] + (int) idx[p[0]] * step];
                } while (it.next());
            }
            case I64 -> {
                do {
                    o.i64[p[1]] = x.i64[p[2] + (int) idx[p[0]] * step];
                } while (it.next());
            }
        }
    }

    /** {@code out[..index[..j..]..] += src[..j..]} along {@code dim}, duplicates accumulating in index order. */
    static void scatterAdd(View src, int dim, View index, View out) {
        if (src.numel() == 0) {
            return;
        }
        HeapBuffer s = (HeapBuffer) src.buffer(), o = (HeapBuffer) out.buffer();
        long[] idx = ((HeapBuffer) index.buffer()).i64;
        int[] outStrides = out.strides().clone();
        int step = outStrides[dim];
        outStrides[dim] = 0;
        Odometer it = new Odometer(index.shape(), new int[][] {index.strides(), src.strides(), outStrides},
                new int[] {index.offset(), src.offset(), out.offset()});
        int[] p = it.offsets;
        switch (o.dtype()) {
            case F32 -> {
                do {
                    o.f32[p[2] + (int) idx[p[0]] * step] += s.f32[p[1]];
                } while (it.next());
            }
            case F64 -> {
                do {
                    o.f64[p[2] + (int) idx[p[0]] * step] += s.f64[p[1]];
                } while (it.next());
            }
            case I64 -> {
                do {
                    o.i64[p[2] + (int) idx[p[0]] * step] += s.i64[p[1]];
                } while (it.next());
            }
        }
    }
}
