/**
 * Building blocks for training networks on top of {@link dev.jgrad.Tensor}: losses now, layers and
 * modules later. Arguments are never null; every loss averages over the batch, as PyTorch's
 * {@code reduction='mean'} default.
 */
package dev.jgrad.nn;
