package dev.jgrad.autograd;

import dev.jgrad.Tensor;
import dev.jgrad.internal.Bridge;
import dev.jgrad.internal.Internals;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * How a gradient reaching a leaf becomes its {@code .grad()}, as PyTorch's AccumulateGrad node does
 * it. Outside createGraph the first gradient is kept without a copy unless its memory is already
 * held: by another leaf of the pass (a rule may hand one gradient to several inputs, as add does),
 * by the caller's gradOutput, or by a tensor a hook saw; then, and always under createGraph (as a
 * recorded copy, so it differentiates again), the leaf keeps a copy, as PyTorch does when the
 * gradient has other references. So changing one {@code .grad()} in place never changes another
 * tensor, and later gradients can add into it in place, as in PyTorch outside createGraph.
 */
final class AccumulateGrad {
    private AccumulateGrad() {
    }

    /**
     * Stores or adds {@code g} into {@code leaf.grad()}. Synchronised on the leaf: graphs built on
     * several threads may share a leaf, as in PyTorch.
     *
     * @param leaf the tensor whose gradient this is
     * @param g    the gradient that reached it
     * @param held storage kept by the leaves of this pass so far (updated)
     * @param seen tensors user code may hold: the pass's seeds and what hooks saw
     */
    static void accumulate(Tensor leaf, Tensor g, Set<Object> held, List<Tensor> seen) {
        Bridge bridge = Internals.bridge();
        synchronized (leaf) {
            bridge.setGrad(leaf, next(bridge, leaf, bridge.grad(leaf), g, held, seen));
        }
    }

    private static Tensor next(Bridge bridge, Tensor leaf, Tensor current, Tensor g, Set<Object> held,
                               List<Tensor> seen) {
        if (!Arrays.equals(g.shape(), leaf.shape())) {
            throw new IllegalStateException("backward: gradient of shape " + Arrays.toString(g.shape())
                    + " reached a leaf of shape " + Arrays.toString(leaf.shape()));
        }
        boolean recording = NoGrad.isGradEnabled();
        if (current == null && recording) {
            return g.copy();
        }
        if (current == null) {
            Tensor own = g.detach().contiguous();
            if (!held.add(bridge.storage(own)) || sharesStorage(bridge, own, seen)) {
                own = own.copy();
                held.add(bridge.storage(own));
            }
            return own;
        }
        if (recording || current.requiresGrad()) {
            return current.add(g);
        }
        return current.addInPlace(g);
    }

    private static boolean sharesStorage(Bridge bridge, Tensor t, List<Tensor> others) {
        Object mine = bridge.storage(t);
        for (Tensor o : others) {
            if (bridge.storage(o) == mine) {
                return true;
            }
        }
        return false;
    }
}
