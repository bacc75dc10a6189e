package dev.jgrad;

import dev.jgrad.autograd.Anomaly;
import dev.jgrad.autograd.Backward;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.autograd.Node;
import dev.jgrad.internal.Internals;

/**
 * Attaches a backward rule to a freshly computed output. Recording costs nothing when grad mode is
 * off or no input requires grad: then the output is returned untouched. Every op passes through
 * here, so this is also where {@link Anomaly} mode checks forward results (one static read when off).
 */
final class Rule {
    private Rule() {
    }

    /**
     * @param name     the op name (for errors and graph inspection)
     * @param out      the forward result, not yet part of any graph
     * @param inputs   the op's differentiable inputs, in the order backward returns gradients
     * @param backward the rule
     * @param saved    tensors backward reads through {@link Node#saved(int)}
     * @return {@code out}, now carrying a {@code gradFn} if any input requires grad
     */
    static Tensor record(String name, Tensor out, Tensor[] inputs, Backward backward, Tensor... saved) {
        if (Anomaly.isEnabled()) {
            Anomaly.checkForward(name, out, inputs);
        }
        if (!NoGrad.isGradEnabled()) {
            return out;
        }
        Node[] next = null;
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].requiresGrad()) {
                if (next == null) {
                    next = new Node[inputs.length];
                }
                next[i] = inputs[i].gradEdge();
            }
        }
        if (next != null) {
            out.gradFn = Internals.nodes().op(name, out.shape, out.dtype, out.storage.device, next, backward, saved);
        }
        return out;
    }

    /** Single-input form of {@link #record(String, Tensor, Tensor[], Backward, Tensor...)}. */
    static Tensor unary(String name, Tensor out, Tensor input, Backward backward, Tensor... saved) {
        if (Anomaly.isEnabled()) {
            Anomaly.checkForward(name, out, input);
        }
        if (!NoGrad.isGradEnabled() || !input.requiresGrad()) {
            return out;
        }
        out.gradFn = Internals.nodes().op(name, out.shape, out.dtype, out.storage.device,
                new Node[] {input.gradEdge()}, backward, saved);
        return out;
    }
}
