/**
 * The {@code opencl} backend: tensors resident in OpenCL device memory, kernels from the
 * {@code .cl} sources beside this package, driven through JOCL.
 *
 * <p>Shared rules: one context and one in-order command queue per device; ops only enqueue, and
 * only reads to the host block. All calls into one backend are serialised on it (OpenCL kernel
 * objects are not safe to configure concurrently). Device memory comes from a caching allocator
 * ({@link dev.jgrad.opencl.MemoryPool}); a buffer returns to it when closed or, as a safety net,
 * when its tensor is garbage collected. Reusing a returned buffer is safe because the queue is
 * in order: work enqueued earlier on the old contents runs first.
 *
 * <p>Nothing here touches JOCL's native library in a static initialiser, so the provider loads
 * on machines without OpenCL and reports why it is unavailable.
 */
package dev.jgrad.opencl;
