#!/usr/bin/env bash
# Regenerates Dgemm.java and DgemmDirect.java from Sgemm.java and SgemmDirect.java: the F64 GEMM is
# the F32 one with the element type swapped (Java has no generics over primitive vectors) and a
# half-depth slice, so both pack the same bytes. Run after editing either F32 file:
#   core/tools/derive-dgemm.sh
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../src/main/java/dev/jgrad/backend/cpu" && pwd)"
TYPES='s/FloatVector/DoubleVector/g; s/\bfloat\b/double/g; s/Float\b/Double/g; s/\b0f\b/0.0/g; s/Sgemm/Dgemm/g'
sed -e "$TYPES" \
    -e 's| \* Single-precision GEMM {@code C = A·B} in the blocked, packed design of high-performance BLAS| * Double-precision GEMM, derived from {@link Sgemm} by core/tools/derive-dgemm.sh: {@code C = A·B}\n * in the blocked, packed design of high-performance BLAS|' \
    -e 's|private static final int KC = 1024;|private static final int KC = 512; // Sgemm'"'"'s depth in the same bytes|' \
    "$DIR/Sgemm.java" > "$DIR/Dgemm.java"
sed -e "$TYPES" \
    -e 's| \* Single-precision {@code C = A·B} without packing,| * Double-precision {@code C = A·B} without packing (derived from {@link SgemmDirect} by\n * core/tools/derive-dgemm.sh),|' \
    "$DIR/SgemmDirect.java" > "$DIR/DgemmDirect.java"
