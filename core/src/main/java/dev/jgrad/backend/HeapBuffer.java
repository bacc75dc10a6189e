package dev.jgrad.backend;

import dev.jgrad.DType;

/**
 * A buffer in the Java heap, shared by the host backends ({@code reference}, {@code cpu}) so that
 * moving a tensor between them needs no conversion. Exactly one of the three arrays is non-null,
 * matching {@link #dtype()}.
 */
public final class HeapBuffer implements Buffer {
    private final Backend backend;
    private final DType dtype;
    /** F32 storage, else null. */
    public final float[] f32;
    /** F64 storage, else null. */
    public final double[] f64;
    /** I64 storage, else null. */
    public final long[] i64;
    /** Set once the array went to the pool, so that a second release cannot hand it out twice. */
    private boolean pooled;

    private HeapBuffer(Backend backend, DType dtype, float[] f32, double[] f64, long[] i64) {
        this.backend = backend;
        this.dtype = dtype;
        this.f32 = f32;
        this.f64 = f64;
        this.i64 = i64;
        HeapMemory.allocated(this, (long) (f32 != null ? f32.length : f64 != null ? f64.length : i64.length)
                * dtype.byteSize());
    }

    /** @return a zero-filled buffer of {@code length} elements */
    public static HeapBuffer allocate(Backend backend, DType dtype, int length) {
        return adopt(backend, dtype, newArray(dtype, length));
    }

    /** @return a new zero-filled {@code float[]}, {@code double[]} or {@code long[]} for {@code dtype} */
    static Object newArray(DType dtype, int length) {
        return switch (dtype) {
            case F32 -> new float[length];
            case F64 -> new double[length];
            case I64 -> new long[length];
        };
    }

    /** @return a buffer that adopts (does not copy) {@code data} */
    public static HeapBuffer wrap(Backend backend, float[] data) {
        return new HeapBuffer(backend, DType.F32, data, null, null);
    }

    /** @return a buffer that adopts (does not copy) {@code data} */
    public static HeapBuffer wrap(Backend backend, double[] data) {
        return new HeapBuffer(backend, DType.F64, null, data, null);
    }

    /** @return a buffer that adopts (does not copy) {@code data} */
    public static HeapBuffer wrap(Backend backend, long[] data) {
        return new HeapBuffer(backend, DType.I64, null, null, data);
    }

    /** @return a buffer around {@code array}, a {@code float[]}, {@code double[]} or {@code long[]} matching {@code dtype} */
    static HeapBuffer adopt(Backend backend, DType dtype, Object array) {
        return switch (dtype) {
            case F32 -> new HeapBuffer(backend, dtype, (float[]) array, null, null);
            case F64 -> new HeapBuffer(backend, dtype, null, (double[]) array, null);
            case I64 -> new HeapBuffer(backend, dtype, null, null, (long[]) array);
        };
    }

    /** @return true the first time only: whether the caller may give this buffer's array to the pool */
    synchronized boolean markPooled() {
        boolean first = !pooled;
        pooled = true;
        return first;
    }

    /** @return element {@code i} widened to double */
    public double get(int i) {
        return switch (dtype) {
            case F32 -> f32[i];
            case F64 -> f64[i];
            case I64 -> i64[i];
        };
    }

    /** Stores {@code v} at {@code i}, rounded to this buffer's dtype. */
    public void set(int i, double v) {
        switch (dtype) {
            case F32 -> f32[i] = (float) v;
            case F64 -> f64[i] = v;
            case I64 -> i64[i] = (long) v;
        }
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long length() {
        return switch (dtype) {
            case F32 -> f32.length;
            case F64 -> f64.length;
            case I64 -> i64.length;
        };
    }

    @Override
    public Backend backend() {
        return backend;
    }
}
