package dev.jgrad.backend;

/**
 * Whether a backend can run in this JVM on this machine, and if not, why.
 *
 * @param available whether {@link BackendProvider#create} will succeed
 * @param reason    a human-readable explanation; for an available backend, a short description
 */
public record Availability(boolean available, String reason) {

    /** @return an available result with a description */
    public static Availability yes(String description) {
        return new Availability(true, description);
    }

    /** @return an unavailable result with the reason and what would fix it */
    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
