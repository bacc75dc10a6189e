package dev.jgrad;

import dev.jgrad.conformance.BackendConformanceTest;

/** Runs the conformance kit on {@code reference} itself: it proves the kit runs every row end to end. */
class ReferenceConformanceTest extends BackendConformanceTest {
    @Override
    protected String device() {
        return "reference";
    }
}
