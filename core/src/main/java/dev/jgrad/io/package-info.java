/**
 * Saving and loading tensors: {@link dev.jgrad.io.SafeTensors}, the safetensors format that PyTorch
 * and the Hugging Face ecosystem exchange weights in.
 *
 * <p>Shared rules: arguments are never null. A malformed or hostile file is an
 * {@link IllegalArgumentException} naming the file and, where one is involved, the tensor, raised
 * before any tensor is built; I/O failures are {@link java.io.UncheckedIOException}s. Saves are
 * atomic (a temporary file in the same directory, forced to disk, renamed over the target), so a
 * crash leaves the previous file intact. The classes hold no state and are safe to use from several
 * threads on different files.
 */
package dev.jgrad.io;
