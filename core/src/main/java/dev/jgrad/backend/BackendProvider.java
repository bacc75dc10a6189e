package dev.jgrad.backend;

import java.util.List;

/**
 * A factory for one kind of backend, discovered with {@link java.util.ServiceLoader}. Providers must
 * load on every machine: anything that may be missing (a native library, an incubator module) is
 * touched only inside {@link #availability()} and {@link #create}, never in static initialisers.
 */
public interface BackendProvider {

    /** @return the device-name prefix this provider serves, e.g. {@code cpu} or {@code opencl} */
    String name();

    /** @return higher wins when choosing a default device among available providers */
    int priority();

    /** @return whether this backend can run here, with the reason when it cannot */
    Availability availability();

    /**
     * @param index the device ordinal from a name like {@code opencl:1}; 0 when none was given
     * @return a ready backend
     * @throws IllegalStateException when the backend is unavailable or the ordinal does not exist
     */
    Backend create(int index);

    /** @return one line per physical device this provider can reach, for {@code ./jgrad devices} */
    default List<String> describeDevices() {
        return List.of();
    }
}
