package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.backend.Backends;
import org.junit.jupiter.api.Test;

class FitTest {
    @Test
    void learnsTheLine() {
        double[] wb = Fit.fit();
        assertEquals(3, wb[0], 1e-3);
        assertEquals(1, wb[1], 1e-3);
    }

    @Test
    void theOpenClBackendIsOnTheClassPath() {
        // The provider loading proves the runtime dependency resolved; a device may or may not exist here.
        assertTrue(Backends.providers().stream().anyMatch(p -> p.name().equals("opencl")),
                "providers: " + Backends.providers());
    }
}
