package dev.jgrad;

import dev.jgrad.backend.Backend;
import dev.jgrad.backend.Backends;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a tensor's memory lives and where its ops run: {@code reference}, {@code cpu} or
 * {@code opencl[:N]}. Two devices are equal when their names are.
 */
public final class Device {
    /** One instance per name (and alias, e.g. {@code opencl} and {@code opencl:0}), so identity checks are cheap. */
    private static final Map<String, Device> CACHE = new ConcurrentHashMap<>();
    private final String name;
    private final Backend backend;

    private Device(String name, Backend backend) {
        this.name = name;
        this.backend = backend;
    }

    /**
     * @param name a device name: {@code reference}, {@code cpu}, {@code opencl} or {@code opencl:N}
     * @return the device
     * @throws IllegalArgumentException when the name is unknown or the device is unavailable here
     */
    public static Device of(String name) {
        Objects.requireNonNull(name, "device name");
        Device d = CACHE.get(name);
        if (d == null) {
            Backend b = Backends.get(name);
            d = CACHE.computeIfAbsent(b.name(), k -> new Device(k, b));
            CACHE.putIfAbsent(name, d);
        }
        return d;
    }

    /**
     * The device new tensors go to: system property {@code jgrad.device}, else environment variable
     * {@code JGRAD_DEVICE}, else {@code cpu} when available, else {@code reference}.
     *
     * @return the default device
     */
    public static Device defaultDevice() {
        return of(Backends.defaultDevice());
    }

    /** @return the device name, e.g. {@code cpu} */
    public String name() {
        return name;
    }

    /** @return the backend that runs this device's ops */
    public Backend backend() {
        return backend;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
