package dev.jgrad.autograd;

import dev.jgrad.DType;
import dev.jgrad.Device;
import dev.jgrad.Tensor;
import dev.jgrad.internal.Internals;
import dev.jgrad.internal.Nodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One recorded op in the autograd graph (PyTorch's {@code grad_fn}): its backward rule, the tensors
 * saved for it, and an edge per input to the node that receives that input's gradient. A leaf that
 * requires grad gets a gradient-accumulator node instead, which stores into {@code .grad()}.
 *
 * <p>Saved tensors carry the version they had when saved: reading one that was modified in place
 * since is an {@link IllegalStateException}, never a silently wrong gradient.
 */
public final class Node {
    static {
        Internals.install(new Nodes() {
            @Override
            public Node op(String name, int[] outShape, DType outDType, Device outDevice, Node[] next,
                           Backward backward, Tensor... saved) {
                return new Node(name, next, backward, null, saved).describeOutput(outShape, outDType, outDevice);
            }

            @Override
            public Tensor[] saved(Node node) {
                Tensor[] s = node.saved;
                return s == null ? new Tensor[0] : s;
            }

            @Override
            public Node leaf(Tensor leaf) {
                return new Node("AccumulateGrad", new Node[0], null, leaf, new Tensor[0])
                        .describeOutput(leaf.shape(), leaf.dtype(), leaf.device());
            }
        });
    }

    private final String name;
    private final Node[] next;
    private final Backward backward;
    /** For an accumulator node, the leaf whose {@code .grad()} it writes; else null. */
    private final Tensor sink;
    private Tensor[] saved;
    private final int[] savedVersions;
    private List<UnaryOperator<Tensor>> hooks;
    /** What the op produced (or, for a leaf's accumulator, the leaf), for graph export; may stay unset. */
    private int[] outShape;
    private DType outDType;
    private Device outDevice;
    /** The user's line that created this op, recorded only in {@link Anomaly} mode. */
    private final String callSite;

    private Node(String name, Node[] next, Backward backward, Tensor sink, Tensor[] saved) {
        this.name = name;
        this.next = next;
        this.backward = backward;
        this.sink = sink;
        this.saved = saved;
        this.callSite = backward != null && Anomaly.isEnabled() ? Anomaly.callSite() : null;
        this.savedVersions = new int[saved.length];
        for (int i = 0; i < saved.length; i++) {
            savedVersions[i] = saved[i] == null ? 0 : saved[i].version();
        }
    }

    /** @return for a leaf's accumulator, the leaf tensor (PyTorch's {@code AccumulateGrad.variable}); null for an op node */
    public Tensor variable() {
        return sink;
    }

    /** @return the op name, e.g. {@code mul} or {@code AccumulateGrad} */
    public String name() {
        return name;
    }

    /**
     * @return the user's line that created this op, as {@code com.acme.MyNet.forward(MyNet.java:42)},
     * when it was recorded in {@link Anomaly} mode; otherwise null
     */
    public String callSite() {
        return callSite;
    }

    /** Records what this node's tensor looks like, so that {@link GraphExport} can show it without keeping the tensor. */
    private Node describeOutput(int[] shape, DType dtype, Device device) {
        this.outShape = shape;
        this.outDType = dtype;
        this.outDevice = device;
        return this;
    }

    /** @return the output shape, or null if not recorded */
    int[] outputShape() {
        return outShape;
    }

    DType outputDType() {
        return outDType;
    }

    Device outputDevice() {
        return outDevice;
    }

    /** @return the saved tensors (entries may be null), or null once a backward freed them */
    Tensor[] savedTensors() {
        return saved;
    }

    /** @return the nodes this one sends gradients to, one per input (null where none is needed) */
    public List<Node> nextFunctions() {
        return Collections.unmodifiableList(Arrays.asList(next));
    }

    /** @return whether this node accumulates into a leaf tensor's {@code .grad()} */
    public boolean isLeafAccumulator() {
        return sink != null;
    }

    /** @return whether input {@code i} needs a gradient (rules may skip computing the others) */
    public boolean needsInputGrad(int i) {
        return next[i] != null;
    }

    /**
     * @param i index into the tensors saved when the op ran
     * @return that tensor
     * @throws IllegalStateException if the graph was freed by an earlier backward, or the tensor
     *                               was modified in place after it was saved
     */
    public Tensor saved(int i) {
        if (saved == null) {
            throw new IllegalStateException(name + ": trying to backward through the graph a second time; its saved"
                    + " tensors were freed by the first backward. Pass retainGraph=true to the first backward"
                    + " (or createGraph=true to Autograd.grad) to differentiate the same graph again.");
        }
        Tensor t = saved[i];
        if (t != null && t.version() != savedVersions[i]) {
            throw new IllegalStateException(name + ": a tensor saved for backward (shape "
                    + Arrays.toString(t.shape()) + ", " + t.dtype() + ") was modified by an in-place operation:"
                    + " it is at version " + t.version() + ", expected version " + savedVersions[i]
                    + ". Use an out-of-place op, or clone the tensor before modifying it.");
        }
        return t;
    }

    /**
     * Adds a hook that sees (and may replace) the gradient arriving at this node's output.
     *
     * @param hook returns the gradient to use, or its argument unchanged
     */
    public synchronized void addHook(UnaryOperator<Tensor> hook) {
        if (hooks == null) {
            hooks = new ArrayList<>(1);
        }
        hooks.add(hook);
    }

    Node[] next() {
        return next;
    }

    /** Runs the hooks; every tensor a hook was given or returned is added to {@code seen}, as user code may keep it. */
    Tensor applyHooks(Tensor grad, List<Tensor> seen) {
        if (hooks != null) {
            for (int i = 0; i < hooks.size(); i++) {
                seen.add(grad);
                Tensor replaced = hooks.get(i).apply(grad);
                if (replaced != null && replaced != grad) {
                    checkHookResult(i, grad, replaced);
                    grad = replaced;
                }
                seen.add(grad);
            }
        }
        return grad;
    }

    /**
     * Refuses a replacement gradient whose shape, dtype or device differs from the gradient the hook
     * was given, as PyTorch's "hook has changed the size of value": accepted, it would fail far away
     * (in a rule, an accumulation or the optimizer's step) with no trace of the hook.
     */
    private void checkHookResult(int index, Tensor given, Tensor returned) {
        String what = !Arrays.equals(given.shape(), returned.shape()) ? "size"
                : given.dtype() != returned.dtype() ? "type"
                : !given.device().equals(returned.device()) ? "device" : null;
        if (what != null) {
            String of = sink != null ? "the leaf tensor" : "the output of " + name;
            throw new IllegalArgumentException("registerHook: hook " + index + " on " + of + " has changed the "
                    + what + " of the gradient: it was given " + describe(given) + " and returned "
                    + describe(returned) + "; a hook must return a gradient of the same shape, dtype and device");
        }
    }

    private static String describe(Tensor t) {
        return Arrays.toString(t.shape()) + " " + t.dtype() + " on " + t.device();
    }

    Tensor[] runBackward(Tensor grad) {
        return backward.apply(this, grad);
    }

    void accumulate(Tensor grad, Set<Object> held, List<Tensor> seen) {
        AccumulateGrad.accumulate(sink, grad, held, seen);
    }

    void release() {
        if (sink == null) {
            saved = null;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
