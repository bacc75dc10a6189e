package dev.jgrad.backend.reference;

import dev.jgrad.backend.Availability;
import dev.jgrad.backend.Backend;
import dev.jgrad.backend.BackendProvider;
import java.util.List;

/** Registers the {@code reference} backend; it is always available. */
public final class ReferenceProvider implements BackendProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public ReferenceProvider() {
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        return Availability.yes("scalar Java loops in double precision; the oracle, not fast");
    }

    @Override
    public Backend create(int index) {
        if (index != 0) {
            throw new IllegalArgumentException("device: reference has only device 0, not " + index);
        }
        return ReferenceBackend.INSTANCE;
    }

    @Override
    public List<String> describeDevices() {
        return List.of("reference: host memory, scalar loops");
    }
}
