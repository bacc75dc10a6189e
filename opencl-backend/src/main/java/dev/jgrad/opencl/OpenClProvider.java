package dev.jgrad.opencl;

import dev.jgrad.backend.Availability;
import dev.jgrad.backend.Backend;
import dev.jgrad.backend.BackendProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Registers {@code opencl} and {@code opencl:N}. Discovery runs on first use and any failure
 * (no {@code libOpenCL.so}, no platform, no device) becomes the unavailability reason.
 */
public final class OpenClProvider implements BackendProvider {
    private static volatile List<ClDevice> devices;
    private static volatile String failure;
    private static final Map<Integer, OpenClBackend> OPEN = new ConcurrentHashMap<>();

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public OpenClProvider() {
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public int priority() {
        return 50;
    }

    private static synchronized List<ClDevice> devices() {
        if (devices == null && failure == null) {
            try {
                List<ClDevice> found = ClDevice.discover();
                if (found.isEmpty()) {
                    failure = "OpenCL platforms were found but no devices";
                } else {
                    devices = found;
                }
            } catch (LinkageError e) {
                failure = "the OpenCL runtime could not be loaded (" + e.getMessage() + "); install an ICD loader"
                        + " and a driver, e.g. Debian's ocl-icd-opencl-dev and pocl-opencl-icd";
            } catch (RuntimeException e) {
                failure = "no OpenCL platform is available (" + e.getMessage() + "); install a driver, e.g."
                        + " Debian's pocl-opencl-icd";
            }
        }
        return devices;
    }

    @Override
    public Availability availability() {
        List<ClDevice> d = devices();
        if (d == null) {
            return Availability.no(failure);
        }
        return Availability.yes(d.size() + " device(s); opencl = " + d.get(0).name());
    }

    @Override
    public Backend create(int index) {
        List<ClDevice> d = devices();
        if (d == null) {
            throw new IllegalStateException("device: opencl is not available: " + failure);
        }
        if (index < 0 || index >= d.size()) {
            throw new IllegalArgumentException("device: opencl:" + index + " does not exist; devices are opencl:0 to"
                    + " opencl:" + (d.size() - 1) + " (see ./jgrad devices)");
        }
        return OPEN.computeIfAbsent(index, i -> new OpenClBackend("opencl:" + i, d.get(i)));
    }

    @Override
    public List<String> describeDevices() {
        List<ClDevice> d = devices();
        if (d == null) {
            return List.of();
        }
        return IntStream.range(0, d.size()).mapToObj(i -> "opencl:" + i + ": " + d.get(i).describe())
                .toList();
    }
}
