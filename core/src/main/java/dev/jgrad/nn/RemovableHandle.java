package dev.jgrad.nn;

/**
 * Undoes one registration (a forward hook), PyTorch's {@code RemovableHandle}: {@link #remove()}
 * is idempotent, and {@link #close()} removes too, so a hook can live for a try-with-resources block.
 */
public final class RemovableHandle implements AutoCloseable {
    private Runnable removal;

    RemovableHandle(Runnable removal) {
        this.removal = removal;
    }

    /** Removes the registration; later calls do nothing. */
    public void remove() {
        Runnable r = removal;
        removal = null;
        if (r != null) {
            r.run();
        }
    }

    /** Same as {@link #remove()}. */
    @Override
    public void close() {
        remove();
    }
}
