#!/usr/bin/env bash
# The eight products of TrainStepBenchmark's 1024-2048-2048-1024 batch-256 MLP step (forward x·Wᵀ,
# weight gradients dYᵀ·X, input gradients dY·W) on two threads beside NumPy/OpenBLAS on two, product
# by product in the same run, by best wall time, and their sums:
#   benchmarks/compare/mlp-products-same-run.sh ["JVM flags"] [OPENBLAS_CORETYPE] [seconds]
# e.g. "-XX:UseAVX=2" Haswell. Needs a build (core/target/classes) and NumPy on OpenBLAS, as
# gemm-same-run.sh does; on 2 MiB pages as it runs them (huge-pages.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/benchmarks/compare/huge-pages.sh"
FLAGS="${1:-}" CORE="${2:-}" SECS="${3:-4}" PY="${PYTHON:-python3}"
J="${JAVA_HOME:-$(ls -d /usr/lib/jvm/*25* | head -1)}/bin/java"
echo "# $(lscpu | grep 'Model name' | sed 's/  */ /g'); JVM flags '$FLAGS', OPENBLAS_CORETYPE '$CORE', huge pages '$HUGE_JVM ${HUGE_ENV[*]}'"
for s in "256 1024 2048 wt" "256 2048 2048 wt" "256 2048 1024 wt" "1024 256 2048 ta" "256 1024 2048" \
         "2048 256 2048 ta" "256 2048 2048" "2048 256 1024 ta"; do
    set -- $s
    "$J" --add-modules jdk.incubator.vector -Xms2g -Xmx2g -XX:+AlwaysPreTouch $HUGE_JVM -Djgrad.threads=2 $FLAGS \
        -cp "$ROOT/core/target/classes" "$ROOT/benchmarks/compare/GemmTiming.java" "$1" "$2" "$3" "$SECS" ${4:-} \
        2>&1 | grep '^jgrad'
    env "${HUGE_ENV[@]}" OPENBLAS_NUM_THREADS=2 ${CORE:+OPENBLAS_CORETYPE=$CORE} "$PY" "$ROOT/benchmarks/compare/np_gemm.py" \
        "${1}x${2}x${3}" "$SECS" ${4:-}
done | tee /dev/stderr | awk '{ for (i = 1; i <= NF; i++) if ($i == "wall" && $(i - 1) != "mean") sum[$1] += $(i + 1) }
    END { printf "sum of best walls: jgrad %.2f ms, numpy %.2f ms (%.3fx)\n", sum["jgrad"], sum["numpy"], sum["numpy"] / sum["jgrad"] }'
