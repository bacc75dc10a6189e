package dev.jgrad;

import dev.jgrad.conformance.BackendConformanceTest;

/** The conformance kit on the Vector API backend. */
class CpuConformanceTest extends BackendConformanceTest {
    @Override
    protected String device() {
        return "cpu";
    }
}
