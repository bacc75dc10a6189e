package dev.jgrad.autograd;

/**
 * A scope in which ops record a graph even where the caller had turned recording off (PyTorch's
 * {@code torch.enable_grad}): for code that must differentiate inside a {@link NoGrad} block or
 * inside a backward rule, such as checkpointing's recomputation.
 * <pre>{@code try (var g = EnableGrad.enter()) { ... }}</pre>
 * Thread-local; scopes nest with {@link NoGrad}'s, and closing one restores the mode it found.
 */
public final class EnableGrad implements AutoCloseable {
    private final boolean previous;
    private boolean closed;

    private EnableGrad(boolean previous) {
        this.previous = previous;
    }

    /** @return a scope that turns recording on for this thread until closed */
    public static EnableGrad enter() {
        return new EnableGrad(NoGrad.setEnabled(true));
    }

    /** Restores the grad mode that was current when this scope was entered; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            NoGrad.setEnabled(previous);
        }
    }
}
