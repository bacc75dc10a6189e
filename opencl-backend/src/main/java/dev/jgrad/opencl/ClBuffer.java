package dev.jgrad.opencl;

import dev.jgrad.DType;
import dev.jgrad.backend.Backend;
import dev.jgrad.backend.Buffer;
import org.jocl.cl_mem;

/**
 * A device buffer. {@link #close()} returns its memory to the pool at once; otherwise the pool
 * reclaims it through a phantom reference once the buffer is unreachable (never a finalizer).
 */
public final class ClBuffer implements Buffer, AutoCloseable {
    final cl_mem mem;
    /** Element offset of this buffer within {@link #mem}: small buffers share slabs. */
    final int base;
    private final DType dtype;
    private final int length;
    private final OpenClBackend backend;
    private final MemoryPool.Tracked memory;

    ClBuffer(OpenClBackend backend, MemoryPool pool, DType dtype, int length) {
        this.backend = backend;
        this.dtype = dtype;
        this.length = length;
        long sizeClass = MemoryPool.sizeClass((long) Math.max(length, 1) * dtype.byteSize());
        this.memory = pool.acquire(this, sizeClass);
        this.mem = memory.mem;
        this.base = (int) (memory.byteOffset / dtype.byteSize());
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
        memory.release();
    }
}
