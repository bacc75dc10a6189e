package dev.jgrad.opencl;

import dev.jgrad.DType;
import dev.jgrad.backend.Backend;
import dev.jgrad.backend.Buffer;
import java.lang.ref.Cleaner;
import org.jocl.cl_mem;

/**
 * A device buffer. {@link #close()} returns its memory to the pool at once; otherwise a
 * {@link Cleaner} does so when the buffer becomes unreachable (never a finalizer).
 */
public final class ClBuffer implements Buffer, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    final cl_mem mem;
    private final DType dtype;
    private final int length;
    private final OpenClBackend backend;
    private final Cleaner.Cleanable cleanable;

    ClBuffer(OpenClBackend backend, MemoryPool pool, DType dtype, int length) {
        this.backend = backend;
        this.dtype = dtype;
        this.length = length;
        long sizeClass = MemoryPool.sizeClass((long) Math.max(length, 1) * dtype.byteSize());
        this.mem = pool.acquire(sizeClass);
        cl_mem m = mem;
        this.cleanable = CLEANER.register(this, () -> pool.release(m, sizeClass));
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** Returns the memory to the pool now; the buffer must not be used afterwards. Idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }
}
