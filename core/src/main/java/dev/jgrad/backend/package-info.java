/**
 * The backend SPI: a small set of primitives over device buffers that every device implements.
 *
 * <p>Shared rules for the whole package:
 * <ul>
 *   <li>Arguments are never null. Shapes and strides are validated by {@link dev.jgrad.Tensor}
 *       before they reach a backend, so backends may trust them.</li>
 *   <li>Operands are described by {@link dev.jgrad.backend.View}: a buffer plus offset, shape and
 *       strides in elements. A stride of 0 broadcasts; a backend must accept any strides.</li>
 *   <li>Only the {@code out} view of a primitive is modified ({@link dev.jgrad.backend.Backend#update}:
 *       each row's parameter and states). {@code out} may alias an input only when both address
 *       exactly the same elements in the same order (in-place updates).</li>
 *   <li>Backends are thread-safe for calls on distinct output buffers.</li>
 * </ul>
 */
package dev.jgrad.backend;
