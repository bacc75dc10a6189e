package dev.jgrad.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Discovers {@link BackendProvider}s with {@link ServiceLoader} and hands out one {@link Backend}
 * per device name. A provider that fails to load is recorded with the failure as its reason,
 * never thrown: a missing optional backend must not break the others.
 */
public final class Backends {
    private static final Map<String, Backend> OPEN = new ConcurrentHashMap<>();
    private static volatile List<BackendProvider> providers;
    private static final List<String> LOAD_FAILURES = new ArrayList<>();
    private static volatile boolean warnedFallback;

    private Backends() {
    }

    /** @return every provider that loaded, highest priority first */
    public static List<BackendProvider> providers() {
        List<BackendProvider> p = providers;
        if (p == null) {
            synchronized (Backends.class) {
                if (providers == null) {
                    providers = load();
                }
                p = providers;
            }
        }
        return p;
    }

    /** @return descriptions of providers that could not even be instantiated */
    public static synchronized List<String> loadFailures() {
        providers();
        return List.copyOf(LOAD_FAILURES);
    }

    private static List<BackendProvider> load() {
        List<BackendProvider> found = new ArrayList<>();
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                LOAD_FAILURES.add(String.valueOf(e));
            }
        }
        found.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return List.copyOf(found);
    }

    /**
     * @param device a device name: {@code reference}, {@code cpu}, {@code opencl} or {@code opencl:N}
     * @return the backend for that device, created on first use
     * @throws IllegalArgumentException for an unknown or malformed name, or an unavailable backend
     */
    public static Backend get(String device) {
        Backend b = OPEN.get(device);
        if (b != null) {
            return b;
        }
        synchronized (Backends.class) {
            return OPEN.computeIfAbsent(device, Backends::open);
        }
    }

    private static Backend open(String device) {
        String kind = device;
        int index = 0;
        int colon = device.indexOf(':');
        if (colon >= 0) {
            kind = device.substring(0, colon);
            try {
                index = Integer.parseInt(device.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device: malformed device name '" + device
                        + "'; expected a name like " + names() + " or opencl:N with N a device number");
            }
        }
        BackendProvider p = provider(kind);
        Availability a = p.availability();
        if (!a.available()) {
            throw new IllegalArgumentException("device: '" + device + "' is not available here: " + a.reason());
        }
        return p.create(index);
    }

    private static BackendProvider provider(String kind) {
        for (BackendProvider p : providers()) {
            if (p.name().equals(kind)) {
                return p;
            }
        }
        throw new IllegalArgumentException("device: unknown device '" + kind + "'; known devices are " + names());
    }

    private static List<String> names() {
        return providers().stream().map(BackendProvider::name).toList();
    }

    /**
     * The default device: system property {@code jgrad.device}, else environment variable
     * {@code JGRAD_DEVICE}, else {@code cpu} if available, else {@code reference} (with a one-time
     * warning on standard error saying why {@code cpu} was not used).
     *
     * @return the default device name
     */
    public static String defaultDevice() {
        String configured = System.getProperty("jgrad.device");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("JGRAD_DEVICE");
        }
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        for (BackendProvider p : providers()) {
            if (p.name().equals("cpu")) {
                Availability a = p.availability();
                if (a.available()) {
                    return "cpu";
                }
                warnFallback(a.reason());
            }
        }
        return "reference";
    }

    private static void warnFallback(String reason) {
        if (!warnedFallback) {
            warnedFallback = true;
            System.err.println("jgrad: WARNING: the cpu backend is unavailable (" + reason
                    + "); falling back to the slow reference backend");
        }
    }
}
