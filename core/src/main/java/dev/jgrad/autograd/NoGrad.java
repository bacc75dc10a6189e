package dev.jgrad.autograd;

/**
 * A scope in which ops record no graph, for inference and optimizer updates:
 * <pre>{@code try (var g = NoGrad.enter()) { w.subInPlace(w.grad().mul(lr)); }}</pre>
 * Grad mode is thread-local; scopes nest, and closing one restores the mode it found.
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private final boolean previous;
    private boolean closed;

    private NoGrad(boolean previous) {
        this.previous = previous;
    }

    /** @return a scope that disables recording on this thread until closed */
    public static NoGrad enter() {
        return new NoGrad(setEnabled(false));
    }

    /** @return whether ops on this thread currently record a graph */
    public static boolean isGradEnabled() {
        return ENABLED.get()[0];
    }

    /** Sets grad mode on this thread. @return the previous mode */
    static boolean setEnabled(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean old = cell[0];
        cell[0] = enabled;
        return old;
    }

    /** Restores the grad mode that was current when this scope was entered; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            setEnabled(previous);
        }
    }
}
