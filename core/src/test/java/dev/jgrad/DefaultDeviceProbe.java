package dev.jgrad;

import dev.jgrad.backend.BackendProvider;
import dev.jgrad.backend.Backends;

/** Run in a JVM without {@code jdk.incubator.vector}: prints the default device and cpu's reason. */
public final class DefaultDeviceProbe {
    private DefaultDeviceProbe() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        Tensor.zeros(1);
        Tensor.zeros(1);
        System.out.println("default=" + Tensor.zeros(1).device());
        for (BackendProvider p : Backends.providers()) {
            System.out.println(p.name() + ": " + p.availability().reason());
        }
    }
}
