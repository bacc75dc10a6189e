#!/usr/bin/env bash
# SGEMM beside NumPy/OpenBLAS, shape by shape in the same run (one thread, then 2048^3 on two):
#   benchmarks/compare/gemm-same-run.sh ["JVM flags"] [OPENBLAS_CORETYPE] [seconds]
# e.g. "" SkylakeX (native AVX-512 on both), "-XX:UseAVX=2" Haswell (AVX2 on both). Needs a build
# (core/target/classes) and a NumPy linked to OpenBLAS: PYTHON=... (Debian's links the reference BLAS).
# The JVM gets a fixed, pre-touched heap as the JMH benchmarks do: in a growing heap each product's
# output lands on pages the OS has not mapped yet, and on a loaded 2-vCPU VM the page faults halved
# 64x784x128 (45-50 GF/s against 76-82 in 3 s runs under -XX:UseAVX=2, the same build).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FLAGS="${1:-}" CORE="${2:-}" SECS="${3:-4}" PY="${PYTHON:-python3}"
J="${JAVA_HOME:-$(ls -d /usr/lib/jvm/*25* | head -1)}/bin/java"
jg() {  # jg THREADS M K N [wt]
    local t="$1"; shift
    "$J" --add-modules jdk.incubator.vector -Xms2g -Xmx2g -XX:+AlwaysPreTouch -Djgrad.threads="$t" $FLAGS -cp "$ROOT/core/target/classes" \
        "$ROOT/benchmarks/compare/GemmTiming.java" "$1" "$2" "$3" "$SECS" ${4:-} 2>&1 | grep '^jgrad'
}
np() { env ${CORE:+OPENBLAS_CORETYPE=$CORE} "$PY" "$ROOT/benchmarks/compare/np_gemm.py" "$@"; }
for s in "1024 1024 1024" "2048 2048 2048" "256 2048 2048" "64 784 128" "64 784 128 wt"; do
    set -- $s
    jg 1 "$@"
    OPENBLAS_NUM_THREADS=1 np "${1}x${2}x${3}" "$SECS" ${4:-}
done
jg 2 2048 2048 2048 | sed 's/^jgrad/jgrad 2T/'
OPENBLAS_NUM_THREADS=2 np 2048x2048x2048 "$SECS"
