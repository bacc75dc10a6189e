package dev.jgrad.backend;

import dev.jgrad.DType;

/**
 * A flat array of elements owned by one backend: a Java array on the CPU, a {@code cl_mem} on an
 * OpenCL device. Buffers hold no shape; {@link View} adds it.
 */
public interface Buffer {
    /** @return the element type */
    DType dtype();

    /** @return the number of elements */
    long length();

    /** @return the backend that allocated this buffer and alone may read or write it */
    Backend backend();
}
