/**
 * Layers, losses and initialisation on top of {@link dev.jgrad.Tensor}, after PyTorch's
 * {@code torch.nn}: {@link dev.jgrad.nn.Module} (explicitly registered parameters, buffers and
 * children with PyTorch's state-dict keys), the layers, {@link dev.jgrad.nn.Functional},
 * {@link dev.jgrad.nn.Losses} and {@link dev.jgrad.nn.Init}.
 *
 * <p>Shared rules: arguments are never null unless a parameter says so (a null bias means none);
 * constructor defaults, initialisation, gate orders and keys are PyTorch's; every bad argument is an
 * {@link java.lang.IllegalArgumentException} naming the layer or function and the shapes, thrown
 * before anything is modified. Forward passes modify nothing but documented state (BatchNorm's
 * running statistics in training mode). Modules are not thread-safe; losses default to the mean.
 */
package dev.jgrad.nn;
