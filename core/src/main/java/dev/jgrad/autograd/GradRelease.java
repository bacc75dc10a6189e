package dev.jgrad.autograd;

import dev.jgrad.Tensor;
import dev.jgrad.internal.Bridge;
import dev.jgrad.internal.Internals;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives the memory of intermediate gradients back as soon as a backward no longer needs it, on a
 * device whose pool takes it at once ({@code Backend.releasesEagerly()}), rather than when the
 * garbage collector finds it. Only memory this backward itself allocated is released, and only
 * once no pending gradient uses it: it counts, per storage, the slots of the engine's gradient
 * table that hold a tensor on it (a rule may pass its gradient through, or return views of it).
 * Memory user code can hold is never released: the seeds, what hooks saw or returned, captured
 * results, and gradients stored into leaves (those leave the record when stored).
 */
final class GradRelease {
    private final Bridge bridge = Internals.bridge();
    private final Object token;
    private final Map<Object, int[]> pending = new IdentityHashMap<>();

    private GradRelease(Object token) {
        this.token = token;
    }

    /** @return a tracker, or null when the root's device gains nothing from early release */
    static GradRelease begin(Tensor root, boolean createGraph) {
        if (createGraph) {
            return null;   // the gradients are part of a graph user code keeps
        }
        Object token = Internals.bridge().beginAllocations(root.device());
        return token == null ? null : new GradRelease(token);
    }

    /**
     * Runs a node's rule, releasing its temporaries (everything it allocated but the gradients it
     * returns) when it returns. Rules are jgrad's own and keep nothing they make; a backward nested
     * in a rule (checkpointing) runs user hooks, so then nothing is released.
     */
    Tensor[] runRule(Node node, Tensor g) {
        Object rule = bridge.beginRule();
        Tensor[] out = null;
        try {
            out = node.runBackward(g);
        } finally {
            bridge.endRule(rule, out == null ? new Tensor[0] : out);
        }
        return out;
    }

    /** Tensors entered slots of the gradient table (nulls are skipped). */
    void holdAll(Tensor[] ts) {
        for (Tensor t : ts) {
            hold(t);
        }
    }

    /** A tensor entered a slot of the gradient table. */
    void hold(Tensor t) {
        if (t != null && bridge.allocatedSince(token, t)) {
            pending.computeIfAbsent(bridge.storage(t), k -> new int[1])[0]++;
        }
    }

    /** A tensor left a slot; its memory is released once no slot holds it and no user code can. */
    void drop(Tensor t, List<Tensor> seen, Tensor[] captured) {
        if (t == null || !bridge.allocatedSince(token, t)) {
            return;
        }
        Object storage = bridge.storage(t);
        int[] count = pending.get(storage);
        if (count == null || --count[0] > 0) {
            return;
        }
        pending.remove(storage);
        if (!pinned(storage, seen) && !pinned(storage, Arrays.asList(captured))) {
            bridge.release(t, "backward once no gradient needed it");
        }
    }

    private boolean pinned(Object storage, List<Tensor> held) {
        for (Tensor h : held) {
            if (h != null && bridge.storage(h) == storage) {
                return true;
            }
        }
        return false;
    }

    /** Ends the record; what was not released passes to the enclosing {@code MemoryScope}, if any. */
    void end() {
        bridge.endAllocations(token);
    }
}
