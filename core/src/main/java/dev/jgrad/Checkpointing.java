package dev.jgrad;

import dev.jgrad.autograd.Autograd;
import dev.jgrad.autograd.EnableGrad;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.autograd.Node;
import dev.jgrad.internal.Internals;
import dev.jgrad.nn.Module;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Gradient checkpointing (PyTorch's {@code torch.utils.checkpoint}): trades compute for memory.
 * {@code y = Checkpointing.checkpoint(segment, x)} runs {@code segment} but keeps none of its
 * intermediate tensors for backward, only {@code x}; backward runs the segment again and
 * differentiates that. A network of {@code L} layers checkpointed every {@code k} keeps about
 * {@code L/k + k} activations instead of {@code L}. The input is kept compressed when it is a host
 * tensor of mostly zeros, as a ReLU output is (a bitmap and the non-zero values, restored bit for bit;
 * see {@code SparseInput}), which brings the {@code L/k} term down to about half.
 *
 * <p>Gradients are bit for bit those of the plain run: the recomputation sees the same inputs and
 * the same random numbers — the default generator ({@link Tensor#defaultGenerator()}, which
 * {@code nn.Dropout} draws from) and every registered {@link RandomState} are captured before the
 * forward and put back around the recomputation, then restored, so code after the backward draws
 * what it would have drawn anyway (PyTorch's {@code preserve_rng_state}). A generator passed to a
 * layer explicitly must be registered by its owner ({@code registerRandomState(RandomState.of(g))}).
 *
 * <p>The segment may read, besides {@code x}, leaf tensors that require grad (a layer's parameters):
 * they are found by walking the segment's graph once in forward and receive their gradients through
 * the checkpoint's node, so {@link Autograd#grad} and {@code createGraph} work across a checkpoint.
 * Other tensors that require grad must come in through {@code x}. Tensor hooks on those parameters
 * run twice per backward, once in the recomputation. The segment must be deterministic given its
 * input and the random state, and must not modify its input in place.
 */
public final class Checkpointing {
    /** Random state that recomputation must replay: a generator random ops draw from. */
    public interface RandomState {
        /** @return an opaque copy of the current state */
        Object snapshot();

        /** Puts back a state {@link #snapshot()} returned. */
        void restore(Object snapshot);

        /**
         * @param generator a jgrad generator (its whole state is one {@code long})
         * @return its state, for {@link #registerRandomState}
         */
        static RandomState of(Generator generator) {
            Objects.requireNonNull(generator, "generator");
            return new RandomState() {
                @Override
                public Object snapshot() {
                    return generator.state();
                }

                @Override
                public void restore(Object snapshot) {
                    generator.setState((Long) snapshot);
                }
            };
        }
    }

    /** The default generator ({@link Tensor#defaultGenerator()}, what Dropout and Init draw from) is always replayed. */
    private static final RandomState DEFAULT_GENERATOR = RandomState.of(Tensor.defaultGenerator());
    private static final CopyOnWriteArrayList<RandomState> STATES = new CopyOnWriteArrayList<>();

    private Checkpointing() {
    }

    /** Adds a random state that every checkpoint captures and replays (idempotent). */
    public static void registerRandomState(RandomState state) {
        Objects.requireNonNull(state, "state");
        STATES.addIfAbsent(state);
    }

    /** Removes a state added by {@link #registerRandomState}; absent states are ignored. */
    public static void unregisterRandomState(RandomState state) {
        STATES.remove(state);
    }

    /**
     * Checkpoints a module: {@link #checkpoint(Function, Tensor)} of {@code segment.call(x)}. Its
     * parameters get their gradients through the checkpoint; its forward hooks run again when backward
     * recomputes it.
     *
     * @param segment the module to checkpoint, e.g. four stages of a {@code Sequential}
     * @param input   its input (not modified)
     * @return {@code segment.call(input)}, recorded as a single node whose backward recomputes the module
     * @throws IllegalArgumentException if an argument is null
     */
    public static Tensor checkpoint(Module segment, Tensor input) {
        if (segment == null) {
            throw new IllegalArgumentException("checkpoint: the module must not be null");
        }
        return checkpoint((Function<Tensor, Tensor>) segment::call, input);
    }

    /**
     * @param segment the computation to checkpoint, {@code x -> layers(x)}; for a module, {@link #checkpoint(Module, Tensor)}
     * @param input   its input (not modified)
     * @return {@code segment.apply(input)}, recording a single node whose backward recomputes the segment;
     *         under {@link NoGrad}, simply {@code segment.apply(input)}
     * @throws IllegalArgumentException if an argument is null or the segment returns null
     */
    public static Tensor checkpoint(Function<Tensor, Tensor> segment, Tensor input) {
        if (segment == null || input == null) {
            throw new IllegalArgumentException("checkpoint: the segment and the input must not be null");
        }
        if (!NoGrad.isGradEnabled()) {
            return segment.apply(input);
        }
        Snapshot rng = snapshot();
        Tensor out = segment.apply(input);
        if (out == null) {
            throw new IllegalArgumentException("checkpoint: the segment returned null; it must return a tensor");
        }
        if (!out.requiresGrad()) {
            return out;
        }
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(input);
        inputs.addAll(leavesOf(out, input));
        Tensor[] in = inputs.toArray(new Tensor[0]);
        int[] shape = out.shape;
        // The backward closure must not capture `in`: the node's saved inputs are released after its
        // backward, but a captured array would keep every segment's input alive until the graph dies.
        int count = in.length;
        SparseInput packed = SparseInput.of(input);
        Tensor[] saved = in;
        if (packed != null) {
            saved = Arrays.copyOf(in, count + 2);
            saved[0] = null;
            System.arraycopy(packed.take(), 0, saved, count, 2);
        }
        return Rule.record("checkpoint", out.detach(), in,
                (node, g) -> recompute(segment, node, g, new Replay(rng, shape, count, packed)), saved);
    }

    /**
     * What a checkpoint's backward needs besides the node's saved tensors.
     *
     * @param rng    the random state before the forward
     * @param shape  the segment's output shape in forward
     * @param count  the node's inputs: the segment's input, then the leaves found in its graph
     * @param packed the segment's input when it is saved compressed (its data then follows the leaves
     *               in the saved tensors), else null
     */
    private record Replay(Snapshot rng, int[] shape, int count, SparseInput packed) {
    }

    /** The leaf tensors requiring grad that the segment's graph reaches without passing through its input. */
    private static List<Tensor> leavesOf(Tensor out, Tensor input) {
        Node stop = input.gradEdge();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> todo = new ArrayDeque<>();
        List<Tensor> leaves = new ArrayList<>();
        todo.push(out.gradFn());
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (n == stop || !seen.add(n)) {
                continue;
            }
            if (n.isLeafAccumulator()) {
                leaves.add(n.variable());
            }
            for (Node next : n.nextFunctions()) {
                if (next != null) {
                    todo.push(next);
                }
            }
        }
        return leaves;
    }

    private static Tensor[] recompute(Function<Tensor, Tensor> segment, Node node, Tensor g, Replay r) {
        int[] shape = r.shape();
        int n = r.count();
        List<Tensor> targets = new ArrayList<>();
        boolean create = NoGrad.isGradEnabled();
        Tensor xr = standIn(node, r, create);
        Snapshot now = snapshot();
        restore(r.rng());
        try (var e = EnableGrad.enter()) {
            Tensor y = segment.apply(xr);
            if (y == null || !Arrays.equals(y.shape, shape)) {
                throw new IllegalStateException("checkpoint: the segment returned " + (y == null ? "null"
                        : Checks.str(y.shape)) + " when recomputed in backward but " + Checks.str(shape)
                        + " in forward; a checkpointed segment must be deterministic");
            }
            int[] slot = new int[n];
            for (int i = 0; i < n; i++) {
                slot[i] = node.needsInputGrad(i) ? targets.size() : -1;
                if (slot[i] >= 0) {
                    targets.add(i == 0 ? xr : node.saved(i));
                }
            }
            Tensor[] result = new Tensor[n];
            if (targets.isEmpty() || !y.requiresGrad()) {
                return result;
            }
            List<Tensor> grads = Autograd.grad(y, targets, g, create, true);
            for (int i = 0; i < n; i++) {
                result[i] = slot[i] < 0 ? null : grads.get(slot[i]);
            }
            return result;
        } finally {
            restore(now);
        }
    }

    /**
     * @return the tensor the recomputation starts from: the saved (or decompressed) input, detached,
     *         requiring grad if the input needs one; under createGraph connected to the input's graph
     *         instead, so that the gradient can be differentiated again
     */
    private static Tensor standIn(Node node, Replay r, boolean create) {
        boolean needed = node.needsInputGrad(0);
        if (r.packed() == null) {
            Tensor x = node.saved(0);
            return !needed ? x.detach() : create ? x.reshape(x.shape) : x.detach().requiresGrad(true);
        }
        Tensor x = r.packed().restore("checkpoint", node.saved(r.count()), node.saved(r.count() + 1));
        if (needed && create) {
            // An identity node onto the input's edge plays the part of x.reshape above.
            x.gradFn = Internals.nodes().op("checkpointInput", x.shape, x.dtype, x.device(),
                    new Node[] {node.nextFunctions().get(0)}, (self, gx) -> new Tensor[] {gx});
            return x;
        }
        return needed ? x.requiresGrad(true) : x;
    }

    /** The registered states and their values at one moment. */
    private record Snapshot(RandomState[] states, Object[] values) {
    }

    private static Snapshot snapshot() {
        List<RandomState> all = new ArrayList<>(STATES.size() + 1);
        all.add(DEFAULT_GENERATOR);
        all.addAll(STATES);
        RandomState[] states = all.toArray(new RandomState[0]);
        Object[] values = new Object[states.length];
        for (int i = 0; i < states.length; i++) {
            values[i] = states[i].snapshot();
        }
        return new Snapshot(states, values);
    }

    private static void restore(Snapshot s) {
        for (int i = 0; i < s.states().length; i++) {
            s.states()[i].restore(s.values()[i]);
        }
    }
}
