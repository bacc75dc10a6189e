package dev.jgrad.autograd;

import dev.jgrad.Tensor;

/**
 * The backward half of an autograd rule: given the gradient of the loss with respect to the
 * rule's output, return the gradient with respect to each input (null where
 * {@link Node#needsInputGrad(int)} is false). Written with {@link Tensor} ops so that, under
 * {@code createGraph}, the backward pass is itself recorded.
 */
@FunctionalInterface
public interface Backward {
    /**
     * @param node the node being differentiated; read saved tensors through {@link Node#saved(int)}
     * @param grad the gradient of the output, with the output's shape
     * @return one gradient per input, each with that input's shape, or null
     */
    Tensor[] apply(Node node, Tensor grad);
}
