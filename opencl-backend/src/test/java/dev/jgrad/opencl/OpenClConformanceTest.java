package dev.jgrad.opencl;

import dev.jgrad.conformance.BackendConformanceTest;
import org.junit.jupiter.api.BeforeAll;

/** The whole conformance kit on the first OpenCL device (PoCL in CI), forward and backward, F32 and F64. */
class OpenClConformanceTest extends BackendConformanceTest {
    @BeforeAll
    static void requireDevice() {
        RequireOpenCl.check();
    }

    @Override
    protected String device() {
        return "opencl:0";
    }

    @Override
    protected double tolerance(dev.jgrad.DType dtype) {
        // Device libm (exp, erf, tanh) and fused multiply-adds round differently from StrictMath.
        return dtype == dev.jgrad.DType.F64 ? 1e-9 : 5e-5;
    }
}
