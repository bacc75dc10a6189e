package dev.jgrad.internal;

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
     * @param out      the op's result, whose shape, dtype and device the node records (not the tensor)
     * @param next     per input, the node receiving its gradient, or null if it needs none
     * @param backward the rule
     * @param saved    tensors the rule reads in backward (may contain nulls)
     * @return an op node
     */
    Node op(String name, Tensor out, Node[] next, Backward backward, Tensor... saved);

    /**
     * @param leaf a leaf tensor that requires grad
     * @return its gradient-accumulator node (PyTorch's AccumulateGrad), which writes
     *         {@code leaf.grad()} through {@link Bridge#grad(Tensor)} and {@link Bridge#setGrad}
     */
    Node leaf(Tensor leaf);
}
