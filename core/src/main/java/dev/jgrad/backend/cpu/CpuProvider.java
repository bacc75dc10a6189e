package dev.jgrad.backend.cpu;

import dev.jgrad.backend.Availability;
import dev.jgrad.backend.Backend;
import dev.jgrad.backend.BackendProvider;
import java.util.List;

/**
 * Registers the {@code cpu} backend. It is available only when {@code jdk.incubator.vector} is in
 * the module graph; this class never references the Vector API, so it loads either way.
 */
public final class CpuProvider implements BackendProvider {
    private static final String MODULE = "jdk.incubator.vector";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public CpuProvider() {
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return Availability.no("the " + MODULE + " module is not in the module graph; start the JVM with"
                    + " --add-modules " + MODULE);
        }
        return Availability.yes("JDK Vector API kernels, " + Runtime.getRuntime().availableProcessors()
                + " hardware threads, " + Parallel.threads() + " used (jgrad.threads)");
    }

    @Override
    public Backend create(int index) {
        Availability a = availability();
        if (!a.available()) {
            throw new IllegalStateException("device: cpu is not available: " + a.reason());
        }
        if (index != 0) {
            throw new IllegalArgumentException("device: cpu has only device 0, not " + index);
        }
        return CpuBackend.INSTANCE;
    }

    @Override
    public List<String> describeDevices() {
        return List.of("cpu: " + Runtime.getRuntime().availableProcessors() + " hardware threads, "
                + VectorInfo.describe());
    }
}
