package dev.jgrad.nn;

import dev.jgrad.DType;
import dev.jgrad.Device;
import dev.jgrad.internal.Internals;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A layer or a network of layers, as PyTorch's {@code torch.nn.Module}. A subclass registers its
 * parameters, buffers and child modules explicitly and in order in its constructor (no reflection);
 * the registration names become PyTorch's state-dict keys, so {@code register("conv1", ...)}
 * yields {@code conv1.weight}. A parameter is a leaf {@link Tensor} with {@code requiresGrad}.
 *
 * <p>Layers read their tensors through {@link #parameter(String)} and {@link #buffer(String)} at
 * every forward: {@link #to(String)} and {@link #to(DType)} may replace a tensor by a converted one
 * (a tensor's device and dtype are fixed), and the registry is the one place that knows the current
 * object. As in PyTorch, <b>build optimizers after moving a module</b>: an optimizer built before
 * holds the old tensors. {@link #loadStateDict} on the other hand copies into the existing tensors,
 * so an optimizer built before a load keeps working.
 *
 * <p>Modules are not thread-safe; a module shared between threads must not be mutated (train/eval,
 * to, loadStateDict) while another thread runs forward.
 */
public abstract class Module {
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> transientBuffers = new HashSet<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    /** Copy-on-write so that a hook may remove itself (or another) while the hooks run. */
    private List<ForwardHook> forwardHooks = List.of();

    /**
     * Computes this module's output. Containers call their children through {@link #call(Tensor)},
     * so that forward hooks run.
     *
     * @param input the input batch
     * @return the output; recorded in the graph when grad mode is on and a parameter or the input requires grad
     */
    public abstract Tensor forward(Tensor input);

    /**
     * Runs {@link #forward(Tensor)}, then the forward hooks in registration order, PyTorch's
     * {@code module(x)}. Without hooks this is exactly {@code forward(input)}. {@link Sequential}
     * calls its stages this way; a hook on the top-level model runs when the caller uses {@code call}
     * instead of {@code forward}.
     *
     * @param input the input batch
     * @return the output, or the last hook's replacement for it
     */
    public final Tensor call(Tensor input) {
        Tensor out = forward(input);
        for (ForwardHook h : forwardHooks) {
            Tensor replaced = h.afterForward(this, input, out);
            out = replaced == null ? out : replaced;
        }
        return out;
    }

    /**
     * Adds a hook that {@link #call(Tensor)} runs after every forward of this module (not of its
     * children: register on them, e.g. by walking {@link #namedModules()}).
     *
     * @param hook the hook
     * @return a handle whose {@code remove()} unregisters the hook
     */
    public final RemovableHandle registerForwardHook(ForwardHook hook) {
        Objects.requireNonNull(hook, "hook");
        List<ForwardHook> next = new ArrayList<>(forwardHooks);
        next.add(hook);
        forwardHooks = List.copyOf(next);
        return new RemovableHandle(() -> {
            List<ForwardHook> rest = new ArrayList<>(forwardHooks);
            rest.removeIf(h -> h == hook);
            forwardHooks = List.copyOf(rest);
        });
    }

    // ---------------------------------------------------------------- registration

    /**
     * Registers a parameter: marks {@code value} (a floating-point leaf) as requiring grad.
     *
     * @param name  a key segment without dots, unique in this module
     * @param value the tensor; null registers nothing (as PyTorch's {@code bias=None})
     * @return {@code value}
     */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        if (value != null) {
            if (!value.isLeaf() || !value.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + name
                        + "' must be a floating-point leaf tensor, got " + value.dtype() + " "
                        + Arrays.toString(value.shape()) + (value.isLeaf() ? "" : " computed by an op"));
            }
            params.put(name, value.requiresGrad(true));
            Internals.bridge().persist(value);
        }
        return value;
    }

    /** Registers a persistent buffer (in the state dict, moved by {@code to}). @return {@code value} */
    protected final Tensor registerBuffer(String name, Tensor value) {
        return registerBuffer(name, value, true);
    }

    /**
     * Registers a buffer: state that is not trained (running statistics, counters).
     *
     * @param persistent whether {@link #stateDict()} includes it
     * @return {@code value}
     */
    protected final Tensor registerBuffer(String name, Tensor value, boolean persistent) {
        checkName(name);
        buffers.put(name, Objects.requireNonNull(value, "value"));
        Internals.bridge().persist(value);
        if (!persistent) {
            transientBuffers.add(name);
        }
        return value;
    }

    /**
     * Registers a child module; its keys are prefixed with {@code name + "."}.
     *
     * @return {@code child}
     */
    protected final <M extends Module> M register(String name, M child) {
        checkName(name);
        Objects.requireNonNull(child, "child");
        if (child == this) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": a module cannot be its own child");
        }
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name
                    + "' must be non-empty and contain no '.'");
        }
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name
                    + "' is already registered in this module");
        }
    }

    /** @return the current tensor of this module's own parameter {@code name}, or null if none was registered */
    protected final Tensor parameter(String name) {
        return params.get(name);
    }

    /** @return the current tensor of this module's own buffer {@code name} */
    protected final Tensor buffer(String name) {
        return buffers.get(name);
    }

    /**
     * Replaces a buffer's tensor (for state that is recomputed rather than updated in place).
     *
     * @throws IllegalArgumentException if no buffer {@code name} is registered
     */
    protected final void setBuffer(String name, Tensor value) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no buffer '" + name + "'");
        }
        buffers.put(name, Objects.requireNonNull(value, "value"));
        Internals.bridge().persist(value);
    }

    /** @return the direct children in registration order (unmodifiable) */
    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    // ---------------------------------------------------------------- queries

    /**
     * @return this module under {@code ""} and every descendant under its dotted name ({@code "0"},
     * {@code "block.1"}), depth first in registration order, each module once (PyTorch's {@code named_modules})
     */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        modules("", this, out, seen);
        return out;
    }

    private static void modules(String name, Module m, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(m)) {
            return;
        }
        out.put(name, m);
        for (Map.Entry<String, Module> c : m.children.entrySet()) {
            modules(name.isEmpty() ? c.getKey() : name + "." + c.getKey(), c.getValue(), out, seen);
        }
    }

    /** @return every parameter, recursively in registration order, each tensor once */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * @return the parameters under PyTorch's dotted names ({@code "0.weight"}, {@code "conv1.bias"}),
     * this module's own first, then each child's; a tensor shared by two modules appears once, under its first name
     */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect("", out, seen, true);
        return out;
    }

    /** @return the buffers (persistent or not) under dotted names, in the order of {@link #namedParameters()} */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect("", out, seen, false);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, Set<Tensor> seen, boolean wantParams) {
        for (Map.Entry<String, Tensor> e : (wantParams ? params : buffers).entrySet()) {
            if (seen.add(e.getValue())) {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Module> c : children.entrySet()) {
            c.getValue().collect(prefix + c.getKey() + ".", out, seen, wantParams);
        }
    }

    /**
     * @return the parameters and persistent buffers, in PyTorch's order: per module its parameters,
     * then its buffers, then its children's entries. The values are the live tensors (not copies)
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state("", out);
        return out;
    }

    private void state(String prefix, Map<String, Tensor> out) {
        params.forEach((k, v) -> out.put(prefix + k, v));
        buffers.forEach((k, v) -> {
            if (!transientBuffers.contains(k)) {
                out.put(prefix + k, v);
            }
        });
        children.forEach((k, c) -> c.state(prefix + k + ".", out));
    }

    /**
     * Copies {@code state} into this module's parameters and persistent buffers, PyTorch's
     * {@code load_state_dict(strict=True)}. Every key is validated first (missing, unexpected, null
     * or wrong shape); then each value is converted to the destination's dtype and device and copied
     * into the existing tensor without recording, bumping its version.
     *
     * @throws IllegalArgumentException listing every offending key with expected and given shapes;
     *                                  then nothing was modified
     */
    public void loadStateDict(Map<String, Tensor> state) {
        StateLoader.load(getClass().getSimpleName(), stateDict(), Objects.requireNonNull(state, "state"));
    }

    // ---------------------------------------------------------------- modes and placement

    /** Puts this module and every descendant in training mode. @return this */
    public Module train() {
        return train(true);
    }

    /** Sets training mode ({@code true}) or evaluation mode, recursively. @return this */
    public Module train(boolean mode) {
        training = mode;
        for (Module c : children.values()) {
            c.train(mode);
        }
        return this;
    }

    /** Puts this module and every descendant in evaluation mode (dropout off, running statistics used). @return this */
    public Module eval() {
        return train(false);
    }

    /** @return whether this module is in training mode */
    public boolean isTraining() {
        return training;
    }

    /**
     * Moves every parameter and buffer to {@code device}. A tensor already there is kept; others are
     * replaced by copies on the device (parameters stay leaves requiring grad; their gradients are
     * cleared). Build optimizers after this call.
     *
     * @return this
     */
    public Module to(String device) {
        Device target = Device.of(Objects.requireNonNull(device, "device"));
        return convert(t -> t.device().equals(target) ? t : t.to(device));
    }

    /**
     * Converts every floating-point parameter and buffer to the floating-point {@code dtype}
     * (integer buffers such as {@code num_batches_tracked} keep theirs, as PyTorch). Tensors of that
     * dtype already are kept. Build optimizers after this call.
     *
     * @return this
     */
    public Module to(DType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".to: module parameters must be"
                    + " floating-point, got " + dtype + "; use F32 or F64");
        }
        return convert(t -> t.dtype().isFloatingPoint() && t.dtype() != dtype ? t.to(dtype) : t);
    }

    /** Computes every replacement first (so a failure changes nothing), then swaps them in; shared tensors stay shared. */
    private Module convert(UnaryOperator<Tensor> f) {
        Map<Tensor, Tensor> done = new IdentityHashMap<>();
        try (var g = NoGrad.enter()) {
            visit(m -> {
                m.params.values().forEach(t -> done.computeIfAbsent(t, k -> f.apply(k).detach()));
                m.buffers.values().forEach(t -> done.computeIfAbsent(t, k -> f.apply(k).detach()));
            });
        }
        visit(m -> {
            m.params.replaceAll((k, t) -> swap(t, done.get(t), true));
            m.buffers.replaceAll((k, t) -> swap(t, done.get(t), false));
        });
        return this;
    }

    private static Tensor swap(Tensor old, Tensor converted, boolean param) {
        if (converted.dtype() == old.dtype() && converted.device().equals(old.device())) {
            return old;
        }
        Internals.bridge().persist(converted);
        return param ? converted.requiresGrad(true) : converted;
    }

    private void visit(Consumer<Module> action) {
        action.accept(this);
        for (Module c : children.values()) {
            c.visit(action);
        }
    }

    /** Clears every parameter's gradient (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (Tensor p : parameters()) {
            p.zeroGrad();
        }
    }

    /** @return the module tree, one line per module, PyTorch-style */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        describe(sb, "");
        return sb.toString();
    }

    private void describe(StringBuilder sb, String indent) {
        sb.append(getClass().getSimpleName()).append('(').append(extraRepr());
        if (children.isEmpty()) {
            sb.append(')');
            return;
        }
        sb.append('\n');
        for (Map.Entry<String, Module> c : children.entrySet()) {
            sb.append(indent).append("  (").append(c.getKey()).append("): ");
            c.getValue().describe(sb, indent + "  ");
            sb.append('\n');
        }
        sb.append(indent).append(')');
    }

    /** @return the layer's settings for {@link #toString()}, e.g. {@code in_features=4, out_features=2} */
    protected String extraRepr() {
        return "";
    }
}
