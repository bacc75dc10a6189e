package dev.jgrad;

import dev.jgrad.autograd.Node;
import dev.jgrad.internal.Internals;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A deterministic lifetime for tensor memory, as DJL's {@code NDManager} and ND4J's workspaces:
 * every tensor created on this thread while the scope is open belongs to it, and {@link #close()}
 * releases the memory of each one not {@linkplain #keep kept}. On {@code opencl} the buffers go
 * back to the device's pool at once (visible in its {@code memoryStats()}), without waiting for a
 * garbage collection. On the host backends ({@code cpu}, {@code reference}) the arrays go to a pool
 * that hands them out again, unfilled, for outputs of the same length a primitive overwrites
 * completely: a training step run in a scope reuses the previous step's memory, still in cache,
 * where new arrays would each cost the JVM a zero-filling pass over memory that is not (the CNN
 * training step of the benchmarks ran about a fifth faster so). The pool holds at most
 * {@code -Djgrad.heap.poolBytes} bytes (default an eighth of the maximum heap, at most 256 MiB; 0
 * turns it off); {@code HeapMemory.pooledBytes()} reports it.
 *
 * <pre>{@code
 * try (var scope = MemoryScope.open()) {
 *     Tensor loss = Losses.mse(model.forward(x), y);
 *     loss.backward();
 *     opt.step();
 *     scope.keep(loss.detach());   // everything else made in the step is released here
 * }
 * }</pre>
 *
 * <p>Semantics:
 * <ul>
 *   <li><b>Autograd-safe.</b> Keeping a tensor keeps the graph behind it: the tensors its recorded
 *       ops saved for backward, their inputs' saved tensors, and the leaves (with their
 *       gradients) that graph reaches, so a backward run after the scope closes finds all it
 *       needs. A gradient stored into a leaf's {@code grad()}, optimizer state and module buffers
 *       leave the scope when they are stored: they belong to the long-lived object, not the step.</li>
 *   <li><b>Released tensors fail loudly.</b> Reading, computing with or writing to a released
 *       tensor (or any view of it) throws {@link IllegalStateException}; its shape, dtype and
 *       device stay readable.</li>
 *   <li><b>Nesting.</b> Scopes nest per thread; a tensor kept by an inner scope passes to the
 *       enclosing one (which releases it in turn unless it keeps it too). Scopes must close in
 *       the reverse order of opening, on the thread that opened them.</li>
 *   <li><b>Thread confinement.</b> Only tensors created on the opening thread join the scope.
 *       Tensors created before it opened are never released by it, even when used inside.</li>
 * </ul>
 * Keep the scope short (one training step): it holds every tensor it created until it closes.
 */
public final class MemoryScope implements AutoCloseable {
    private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();
    /** Scopes open on any thread: lets tensor creation skip the thread-local lookup when none is. */
    private static volatile int open;

    private final MemoryScope parent;
    private final Thread owner;
    private final String label;
    private final List<Storage> created = new ArrayList<>();
    private final List<Tensor> kept = new ArrayList<>();
    private boolean closed;
    /** Whether a scope was ever opened inside this one (a nested backward, for the engine's rule windows). */
    private boolean hadInner;

    private MemoryScope(MemoryScope parent, String label) {
        this.parent = parent;
        this.owner = Thread.currentThread();
        this.label = label;
    }

    /** @return a new scope, now current on this thread (inside the current one, if any) */
    public static MemoryScope open() {
        return push("a MemoryScope");
    }

    /**
     * @param owner who opens the scope, named in the error a tensor it released throws when used
     *              (e.g. {@code "the Trainer's per-step MemoryScope"})
     * @return a new scope, now current on this thread (inside the current one, if any)
     */
    public static MemoryScope open(String owner) {
        return push(Objects.requireNonNull(owner, "MemoryScope.open: owner"));
    }

    /** Opens an internal scope (the engine's record of what a backward allocated). */
    static MemoryScope push(String label) {
        MemoryScope s = new MemoryScope(CURRENT.get(), label);
        if (s.parent != null) {
            s.parent.hadInner = true;
        }
        CURRENT.set(s);
        synchronized (MemoryScope.class) {
            open++;
        }
        return s;
    }

    static boolean anyOpen() {
        return open > 0;
    }

    /** Adds a new storage to the current thread's scope, if one is open. */
    static void adopt(Storage s) {
        MemoryScope scope = CURRENT.get();
        if (scope != null) {
            s.scope = scope;
            scope.created.add(s);
        }
    }

    /** Takes a tensor out of whatever scope created it: it now lives as long as the object storing it. */
    static void persist(Tensor t) {
        if (t != null && t.storage.scope != null) {
            t.storage.scope = null;
        }
    }

    /** @return whether {@code t}'s memory was created while this scope was current and is still its own */
    boolean owns(Tensor t) {
        return t.storage.scope == this;
    }

    /**
     * Keeps {@code t} (and every view of its memory, and the graph behind it) from being released
     * when this scope closes; it passes to the enclosing scope, or outlives all scopes if none.
     *
     * @param t a tensor, created in this scope or not
     * @return {@code t}, for chaining
     * @throws IllegalStateException if this scope is closed or belongs to another thread
     */
    public Tensor keep(Tensor t) {
        checkUsable("keep");
        kept.add(Objects.requireNonNull(t, "t"));
        return t;
    }

    /** @return whether {@link #close()} ran */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Releases the memory of every tensor created in this scope that was not kept (directly, as a
     * view, or through a kept tensor's graph), and makes the enclosing scope current again.
     * Idempotent.
     *
     * @throws IllegalStateException from another thread, or while a scope opened inside this one is still open
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkUsable("close");
        Set<Storage> keep = reachable(kept);
        for (Storage s : created) {
            if (s.scope != this) {
                continue;   // persisted, or already handed on
            }
            if (keep.contains(s)) {
                handOn(s);
            } else {
                s.release(label + " that closed");
            }
        }
        created.clear();
        kept.clear();
        pop();
    }

    /** Closes an internal scope releasing nothing: what it still owns passes to the enclosing scope. */
    void closeKeepingAll() {
        checkUsable("close");
        for (Storage s : created) {
            if (s.scope == this) {
                handOn(s);
            }
        }
        created.clear();
        pop();
    }

    /**
     * Closes an internal scope around one backward rule: the rule's temporaries are released, the
     * storages of {@code results} pass to the enclosing scope. When a backward ran inside the rule
     * (checkpointing), hooks there may have stored what they made, so nothing is released.
     */
    void closeReleasingAllBut(Tensor[] results) {
        if (hadInner) {
            closeKeepingAll();
            return;
        }
        checkUsable("close");
        Set<Storage> keep = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : results) {
            add(keep, t);
        }
        for (Storage s : created) {
            if (s.scope == this) {
                if (keep.contains(s)) {
                    handOn(s);
                } else {
                    s.release(label + " once it returned");
                }
            }
        }
        created.clear();
        pop();
    }

    private void pop() {
        closed = true;
        CURRENT.set(parent);
        synchronized (MemoryScope.class) {
            open--;
        }
    }

    private void handOn(Storage s) {
        s.scope = parent;
        if (parent != null) {
            parent.created.add(s);
        }
    }

    private void checkUsable(String what) {
        if (closed) {
            throw new IllegalStateException("MemoryScope." + what + ": the scope is closed");
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("MemoryScope." + what + ": the scope belongs to thread " + owner.getName()
                    + ", not " + Thread.currentThread().getName());
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("MemoryScope." + what + ": a scope opened inside this one is still open;"
                    + " scopes close in the reverse order of opening");
        }
    }

    /**
     * The storages of the kept tensors and of everything a backward from them would read: each
     * recorded op's saved tensors, and each reached leaf with its gradient. Iterative, as graphs
     * can be 100,000 ops deep.
     */
    private static Set<Storage> reachable(List<Tensor> roots) {
        Set<Storage> out = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> todo = new ArrayDeque<>();
        for (Tensor t : roots) {
            add(out, t);
            add(out, t.grad());
            Node n = t.requiresGrad() ? t.gradEdge() : null;
            if (n != null && visited.add(n)) {
                todo.push(n);
            }
        }
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            Tensor leaf = n.variable();
            if (leaf != null) {
                add(out, leaf);
                add(out, leaf.grad());
            }
            for (Tensor s : Internals.nodes().saved(n)) {
                add(out, s);
            }
            for (Node next : n.nextFunctions()) {
                if (next != null && visited.add(next)) {
                    todo.push(next);
                }
            }
        }
        return out;
    }

    private static void add(Set<Storage> out, Tensor t) {
        if (t != null) {
            out.add(t.storage);
        }
    }
}
