package dev.jgrad.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/** Describes the vector shape the JIT will use on this machine and the GEMM kernel chosen for it. */
final class VectorInfo {
    private VectorInfo() {
    }

    static String describe() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors (" + FloatVector.SPECIES_PREFERRED.length()
                + " floats, " + DoubleVector.SPECIES_PREFERRED.length() + " doubles), F32 GEMM " + GemmShape.F32.describe();
    }
}
