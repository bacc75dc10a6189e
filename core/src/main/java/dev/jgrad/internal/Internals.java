package dev.jgrad.internal;

/**
 * The one way into jgrad's internals for its own packages ({@code nn}, {@code optim}, {@code data},
 * {@code io}, {@code autograd}): Java has no friend access, so the package that owns a piece of
 * state installs an implementation of a small interface here when its class initialises, and the
 * others call through it. This package is not exported by the {@code dev.jgrad} module, so on the
 * module path user code cannot reach it; on the class path it is reachable but not API.
 *
 * <p>This is the JDK's own {@code SharedSecrets} pattern: each getter first initialises the class that
 * installs the implementation, so the order in which classes load does not matter.
 */
public final class Internals {
    private static Bridge bridge;
    private static Nodes nodes;

    private Internals() {
    }

    /** @return the tensor front end's internals (rules, in-place gate, engine hooks) */
    public static Bridge bridge() {
        Bridge b = bridge;
        if (b == null) {
            initialise("dev.jgrad.Tensor");
            b = bridge;
        }
        return b;
    }

    /** @return the autograd graph's node factory */
    public static Nodes nodes() {
        Nodes n = nodes;
        if (n == null) {
            initialise("dev.jgrad.autograd.Node");
            n = nodes;
        }
        return n;
    }

    /**
     * Called once, by {@code Tensor}'s static initialiser.
     *
     * @throws IllegalStateException on a second call: the bridge cannot be replaced
     */
    public static synchronized void install(Bridge b) {
        if (bridge != null) {
            throw new IllegalStateException("Internals: the bridge is already installed");
        }
        bridge = b;
    }

    /**
     * Called once, by {@code Node}'s static initialiser.
     *
     * @throws IllegalStateException on a second call: the factory cannot be replaced
     */
    public static synchronized void install(Nodes n) {
        if (nodes != null) {
            throw new IllegalStateException("Internals: the node factory is already installed");
        }
        nodes = n;
    }

    private static void initialise(String className) {
        try {
            Class.forName(className, true, Internals.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Internals: " + className + " is missing from jgrad-core", e);
        }
    }
}
