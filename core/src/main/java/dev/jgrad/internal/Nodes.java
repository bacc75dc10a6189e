package dev.jgrad.internal;

import dev.jgrad.DType;
import dev.jgrad.Device;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.Backward;
import dev.jgrad.autograd.Node;

/**
 * Builds autograd graph nodes; implemented in {@code dev.jgrad.autograd}, reached through
 * {@link Internals#nodes()} by the rules that record ops and by tensors that need an accumulator.
 */
public interface Nodes {
    /**
     * @param name     the op name, shown in errors and graph inspection
     * @param outShape the op's output shape, kept (not copied) for graph export: the caller never modifies it
     * @param outDType the output's dtype
     * @param outDevice the output's device
     * @param next     per input, the node receiving its gradient, or null if it needs none
     * @param backward the rule
     * @param saved    tensors the rule reads in backward (may contain nulls)
     * @return an op node
     */
    Node op(String name, int[] outShape, DType outDType, Device outDevice, Node[] next, Backward backward,
            Tensor... saved);

    /**
     * @param leaf a leaf tensor that requires grad
     * @return its gradient-accumulator node (PyTorch's AccumulateGrad), which writes
     *         {@code leaf.grad()} through {@link Bridge#grad(Tensor)} and {@link Bridge#setGrad}
     */
    Node leaf(Tensor leaf);

    /**
     * @param node a recorded op
     * @return the tensors it saved for its backward (entries may be null), or an empty array once a
     *     backward freed them; read by {@code MemoryScope} to keep what a pending backward needs
     */
    Tensor[] saved(Node node);
}
