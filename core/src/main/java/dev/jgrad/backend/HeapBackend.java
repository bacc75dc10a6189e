package dev.jgrad.backend;

import dev.jgrad.DType;

/**
 * Buffer management shared by the host backends ({@code reference}, {@code cpu}): both keep data
 * in {@link HeapBuffer}s, so tensors move between them without conversion. Arrays released by a
 * {@code MemoryScope} go to a shared {@link HeapPool} and come back for later allocations of the
 * same length. Subclasses supply the compute primitives.
 */
public abstract class HeapBackend implements Backend {

    /** For subclasses. */
    protected HeapBackend() {
    }

    /** Zero-filled: a new array, or a pooled one of this length cleared in cache. */
    @Override
    public Buffer allocate(DType dtype, int length) {
        return HeapBuffer.adopt(this, dtype, HeapPool.INSTANCE.takeZeroed(dtype, length));
    }

    /** A pooled array of this length when one was released, unfilled; else a new one. */
    @Override
    public Buffer allocateUninitialized(DType dtype, int length) {
        return HeapBuffer.adopt(this, dtype, HeapPool.INSTANCE.takeUninitialized(dtype, length));
    }

    /** Caches the array for reuse (see {@link HeapPool}); the caller guarantees no tensor reads it again. */
    @Override
    public void release(Buffer buffer) {
        if (buffer instanceof HeapBuffer h && h.markPooled()) {
            HeapPool.INSTANCE.give(h);
        }
    }

    @Override
    public Buffer upload(float[] data) {
        return HeapBuffer.wrap(this, data.clone());
    }

    @Override
    public Buffer upload(double[] data) {
        return HeapBuffer.wrap(this, data.clone());
    }

    @Override
    public Buffer upload(long[] data) {
        return HeapBuffer.wrap(this, data.clone());
    }

    @Override
    public void read(Buffer src, int offset, float[] dst) {
        System.arraycopy(((HeapBuffer) src).f32, offset, dst, 0, dst.length);
    }

    @Override
    public void read(Buffer src, int offset, double[] dst) {
        System.arraycopy(((HeapBuffer) src).f64, offset, dst, 0, dst.length);
    }

    @Override
    public void read(Buffer src, int offset, long[] dst) {
        System.arraycopy(((HeapBuffer) src).i64, offset, dst, 0, dst.length);
    }

    /** Checks at once, walking the heap array in place (no copy). */
    @Override
    public void checkRange(View values, double lo, double hi, RangeFailure failure) {
        if (values.numel() == 0) {
            return;
        }
        HeapBuffer b = (HeapBuffer) values.buffer();
        Odometer it = Odometer.of(values.shape(), values);
        long position = 0;
        do {
            double v = b.get(it.offsets[0]);
            if (!(v >= lo && v <= hi)) {
                throw failure.at(position, v);
            }
            position++;
        } while (it.next());
    }
}
