#!/usr/bin/env bash
# Regenerates Dgemm.java, DgemmKernel.java, DgemmParallel.java and DgemmDirect.java from their F32 sources: the F64 GEMM
# is the F32 one with the element type swapped (Java has no generics over primitive vectors) and
# GemmShape.F64 for its shape (the same kernel rows and bytes per slice). Run after editing an
# Sgemm*.java file:
#   core/tools/derive-dgemm.sh            (writes next to the sources)
#   core/tools/derive-dgemm.sh OUT_DIR    (writes to OUT_DIR; GeneratedDgemmTest compares)
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../src/main/java/dev/jgrad/backend/cpu" && pwd)"
OUT="${1:-$DIR}"
TYPES='s/FloatVector/DoubleVector/g; s/\bfloat\b/double/g; s/Float\b/Double/g; s/\b0f\b/0.0/g; s/Sgemm/Dgemm/g; s/GemmShape\.F32/GemmShape.F64/g'
sed -e "$TYPES" \
    -e 's| \* Single-precision GEMM {@code C = A·B} in the blocked, packed design of high-performance BLAS| * Double-precision GEMM, derived from {@link Sgemm} by core/tools/derive-dgemm.sh: {@code C = A·B}\n * in the blocked, packed design of high-performance BLAS|' \
    "$DIR/Sgemm.java" > "$OUT/Dgemm.java"
sed -e "$TYPES" \
    -e 's| \* The micro-kernels of {@link Dgemm}:| * The micro-kernels of {@link Dgemm} (derived from {@link SgemmKernel} by\n * core/tools/derive-dgemm.sh):|' \
    "$DIR/SgemmKernel.java" > "$OUT/DgemmKernel.java"
sed -e "$TYPES" \
    -e 's|^ \* {@link Dgemm}.s product on several threads,| * {@link Dgemm}'"'"'s product on several threads (derived from {@link SgemmParallel} by\n * core/tools/derive-dgemm.sh),|' \
    "$DIR/SgemmParallel.java" > "$OUT/DgemmParallel.java"
sed -e "$TYPES" \
    -e 's| \* Single-precision {@code C = A·B} without packing,| * Double-precision {@code C = A·B} without packing (derived from {@link SgemmDirect} by\n * core/tools/derive-dgemm.sh),|' \
    "$DIR/SgemmDirect.java" > "$OUT/DgemmDirect.java"
