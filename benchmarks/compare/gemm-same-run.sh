#!/usr/bin/env bash
# SGEMM beside NumPy/OpenBLAS, shape by shape in the same run (one thread, then 2048^3 on two):
#   benchmarks/compare/gemm-same-run.sh ["JVM flags"] [OPENBLAS_CORETYPE] [seconds] [rounds] [shapes]
# e.g. "" SkylakeX (native AVX-512 on both), "-XX:UseAVX=2" Haswell (AVX2 on both). Each round times
# every shape on both sides back to back; with several rounds it ends with each shape's median ratio
# (OpenBLAS time / jgrad time, >1: jgrad faster) and the lowest and highest, by best and by median wall
# time (the median counts the slow calls the best leaves out), since on a shared VM one
# pair can meet a slow stretch the next does not. shapes: "THREADS M K N [wt|ta] [scope];..." replaces the default
# list, e.g. "2 2048 2048 2048" for the two-thread product alone.
# Needs a build (core/target/classes) and a NumPy linked to OpenBLAS: PYTHON=... (Debian's links the
# reference BLAS unless libopenblas0-pthread is installed).
# The JVM gets a fixed, pre-touched heap as the JMH benchmarks do: in a growing heap each product's
# output lands on pages the OS has not mapped yet, and on a loaded 2-vCPU VM the page faults halved
# 64x784x128 (45-50 GF/s against 76-82 in 3 s runs under -XX:UseAVX=2, the same build). Both sides run on
# 2 MiB pages where the kernel offers them (huge-pages.sh; JGRAD_HUGE_PAGES=0 for 4 KiB pages).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/benchmarks/compare/huge-pages.sh"
FLAGS="${1:-}" CORE="${2:-}" SECS="${3:-4}" ROUNDS="${4:-1}" PY="${PYTHON:-python3}"
SHAPES="${5:-1 1024 1024 1024;1 2048 2048 2048;1 256 2048 2048;1 64 784 128;1 64 784 128 wt;2 2048 2048 2048}"
J="${JAVA_HOME:-$(ls -d /usr/lib/jvm/*25* | head -1)}/bin/java"
jg() {  # jg THREADS M K N [wt|ta] [scope]
    local t="$1"; shift
    "$J" --add-modules jdk.incubator.vector -Xms2g -Xmx2g -XX:+AlwaysPreTouch $HUGE_JVM -Djgrad.threads="$t" $FLAGS -cp "$ROOT/core/target/classes" \
        "$ROOT/benchmarks/compare/GemmTiming.java" "$1" "$2" "$3" "$SECS" "${@:4}" 2>&1 | grep '^jgrad' | sed "s/^jgrad/jgrad ${t}T/"
}
np() {  # np THREADS M K N [wt|ta] [scope]: NumPy's side has no scope (its outputs are malloc'd unfilled)
    local t="$1" opt=""; shift
    case "${4:-}" in wt|ta) opt="$4" ;; esac
    env "${HUGE_ENV[@]}" OPENBLAS_NUM_THREADS="$t" ${CORE:+OPENBLAS_CORETYPE=$CORE} "$PY" "$ROOT/benchmarks/compare/np_gemm.py" \
        "${1}x${2}x${3}" "$SECS" $opt | sed "s/^numpy/numpy ${t}T/"
}
echo "# $(lscpu | grep 'Model name' | sed 's/  */ /g'); JVM flags '$FLAGS', OPENBLAS_CORETYPE '$CORE', huge pages '$HUGE_JVM ${HUGE_ENV[*]}'"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
for ((r = 1; r <= ROUNDS; r++)); do
    [ "$ROUNDS" -gt 1 ] && echo "# round $r, load: $(cut -d' ' -f1-3 /proc/loadavg)"
    IFS=';' read -ra list <<< "$SHAPES"
    for s in "${list[@]}"; do
        set -- $s
        jg "$@"
        np "$@"
    done
done | tee "$OUT"
awk -v rounds="$ROUNDS" '
    function median(a, m,    i, x, t) {  # sorts a[1..m] in place
        for (i = 1; i <= m; i++) for (x = i + 1; x <= m; x++) if (a[x] < a[i]) { t = a[i]; a[i] = a[x]; a[x] = t }
        return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
    }
    /^(jgrad|numpy) / { for (i = 1; i <= NF; i++) { if ($i == "wall" && $(i - 1) != "mean") w = $(i + 1); if ($i == "median") d = $(i + 1) + 0 }
        if ($1 == "jgrad") {  # the key is the jgrad line up to "wall": threads, shape, wt|ta, scope
            j = w; jd = d; key = $2; for (i = 3; $i != "wall"; i++) key = key " " $i
        } else { n[key]++; ratio[key, n[key]] = w / j; mratio[key, n[key]] = d / jd
            if (!(key in seen)) { seen[key] = 1; order[++keys] = key } } }
    END { if (rounds < 2) exit
        for (q = 1; q <= keys; q++) { key = order[q]; m = n[key]
            for (i = 1; i <= m; i++) { v[i] = ratio[key, i]; u[i] = mratio[key, i] }
            printf "%-22s best walls: median %.3fx (min %.3f, max %.3f); median walls: median %.3fx (min %.3f, max %.3f); %d pairs\n",
                key, median(v, m), v[1], v[m], median(u, m), u[1], u[m], m } }' "$OUT"
