#!/usr/bin/env bash
# Regenerates DoubleUpdates.java from FloatUpdates.java: the F64 optimizer kernels are the F32 ones
# with the element type swapped (Java has no generics over primitive vectors). Run after editing
# FloatUpdates.java:   core/tools/derive-updates.sh
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../src/main/java/dev/jgrad/backend/cpu" && pwd)"
sed -e 's/FloatVector/DoubleVector/g; s/\bfloat\b/double/g; s/Float\b/Double/g; s/FloatUpdates/DoubleUpdates/g' \
    -e 's/(double) //g' \
    -e 's| \* The fused optimizer updates on F32 arrays:| * The fused optimizer updates on F64 arrays (generated from {@link FloatUpdates} by\n * core/tools/derive-updates.sh; edit that file instead):|' \
    -e "/^ \* The F64 twin/d" \
    "$DIR/FloatUpdates.java" > "$DIR/DoubleUpdates.java"
