package dev.jgrad.opencl;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jgrad.backend.Availability;
import dev.jgrad.backend.BackendProvider;
import dev.jgrad.backend.Backends;

/**
 * Skips OpenCL tests where no device exists, with the reason, unless {@code JGRAD_REQUIRE_OPENCL=1}
 * (as CI sets it): then a missing device fails the build, so the backend is really exercised.
 */
final class RequireOpenCl {
    private RequireOpenCl() {
    }

    static void check() {
        Availability a = Backends.providers().stream().filter(p -> p.name().equals("opencl")).findFirst()
                .map(BackendProvider::availability).orElse(Availability.no("the opencl provider is not registered"));
        if (!a.available() && "1".equals(System.getenv("JGRAD_REQUIRE_OPENCL"))) {
            fail("JGRAD_REQUIRE_OPENCL=1 but OpenCL is unavailable: " + a.reason());
        }
        assumeTrue(a.available(), () -> "skipping OpenCL tests: " + a.reason());
    }
}
