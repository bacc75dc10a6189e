package dev.jgrad;

import dev.jgrad.autograd.NoGrad;
import java.util.List;
import java.util.Set;

/**
 * How a gradient reaching a leaf becomes its {@code .grad()}, as PyTorch's AccumulateGrad does it.
 * Outside createGraph the first gradient is kept without a copy unless its memory is already held:
 * by another leaf of the pass (a rule may hand one gradient to several inputs, as add does), by the
 * caller's gradOutput, or by a tensor a hook saw; then, and always under createGraph (as a recorded
 * copy, so it differentiates again), the leaf keeps a copy, as PyTorch does when the gradient has
 * other references. So changing one {@code .grad()} in place never changes another tensor, and
 * later gradients can add into it in place, as in PyTorch outside createGraph.
 */
final class LeafGrad {
    private LeafGrad() {
    }

    /**
     * @param leaf    the tensor whose gradient this is, for the shape check
     * @param current its {@code .grad()} so far, or null
     * @param g       the gradient that reached it
     * @param held    storage kept by the leaves of this pass so far (updated)
     * @param seen    tensors user code may hold: the pass's seeds and what hooks saw
     * @return the new {@code .grad()}
     */
    static Tensor accumulate(Tensor leaf, Tensor current, Tensor g, Set<Object> held, List<Tensor> seen) {
        if (!java.util.Arrays.equals(g.shape, leaf.shape)) {
            throw new IllegalStateException("backward: gradient of shape " + Checks.str(g.shape)
                    + " reached a leaf of shape " + Checks.str(leaf.shape));
        }
        boolean recording = NoGrad.isGradEnabled();
        if (current == null && recording) {
            return g.copy();
        }
        if (current == null) {
            Tensor own = g.detach().contiguous();
            if (!held.add(own.storage) || sharesStorage(own, seen)) {
                own = own.copy();
                held.add(own.storage);
            }
            return own;
        }
        if (recording || current.requiresGrad()) {
            return current.add(g);
        }
        return current.addInPlace(g);
    }

    private static boolean sharesStorage(Tensor t, List<Tensor> others) {
        for (Tensor o : others) {
            if (o.storage == t.storage) {
                return true;
            }
        }
        return false;
    }
}
