/**
 * The {@code cpu} backend: kernels on the JDK Vector API ({@code jdk.incubator.vector}) over heap
 * arrays, multithreaded on one set of worker threads ({@code Parallel}: {@code jgrad.threads} in
 * all, the calling thread included, spinning briefly between jobs as BLAS pools do).
 *
 * <p>Every kernel has a contiguous fast path (vector main loop bounded by
 * {@code SPECIES.loopBound(n)} plus a scalar tail) and falls back to strided rows or, for shapes no
 * fast path covers, to typed strided loops of its own ({@code Strided}, {@code StridedReductions},
 * {@code Indexing}); it never calls the reference backend, which the conformance kit compares it
 * against. Vectors live only in locals and {@code static final}
 * species: in arrays or fields they would be boxed.
 *
 * <p>Only {@link dev.jgrad.backend.cpu.CpuProvider} may be loaded when the incubator module is
 * absent; it checks for the module before touching any other class here.
 */
package dev.jgrad.backend.cpu;
