package dev.jgrad.backend.cpu;

import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.View;

/**
 * The gather that {@code indexSelect(0, rows)} produces on contiguous data (a DataLoader batch, an
 * embedding lookup): the index is broadcast along every dim but the first, so each output row is
 * one whole input row, copied with {@link System#arraycopy} instead of element by element.
 */
final class RowGather {
    private RowGather() {
    }

    /** @return false (doing nothing) unless the layout is whole contiguous rows along dim 0 */
    static boolean tryRun(View in, int dim, View index, View out) {
        int rank = in.rank();
        if (dim != 0 || rank == 0 || !in.isContiguous() || !out.isContiguous()) {
            return false;
        }
        int row = 1;
        for (int k = 1; k < rank; k++) {
            if (index.strides()[k] != 0 || index.shape()[k] != in.shape()[k]) {
                return false;
            }
            row *= in.shape()[k];
        }
        HeapBuffer src = (HeapBuffer) in.buffer(), dst = (HeapBuffer) out.buffer();
        long[] idx = ((HeapBuffer) index.buffer()).i64;
        int rows = out.shape()[0], io = index.offset(), is = index.strides()[0];
        for (int i = 0; i < rows && row > 0; i++) {
            int from = in.offset() + (int) idx[io + i * is] * row, to = out.offset() + i * row;
            switch (src.dtype()) {
                case F32 -> System.arraycopy(src.f32, from, dst.f32, to, row);
                case F64 -> System.arraycopy(src.f64, from, dst.f64, to, row);
                case I64 -> System.arraycopy(src.i64, from, dst.i64, to, row);
            }
        }
        return true;
    }
}
