#!/usr/bin/env bash
# TrainStepBenchmark's MLP step beside PyTorch 1.13, interleaved round by round (jgrad, torch 1 thread,
# torch 2 threads) so both see the same load; the same statistics on both sides: the best and the median
# of 1 s windows (JMH's sampled iterations, the Python side's windows), each a mean over its steps, and the
# median of single steps, which the occasional slow stretch of a shared machine moves least.
#   benchmarks/compare/mlp-same-run.sh [rounds] ["JVM flags"] [OPENBLAS_CORETYPE] [spec]
# e.g. 3 "-XX:UseAVX=2" Haswell (AVX2 on both sides: OpenBLAS's Haswell kernels, ATen's avx2 kernels),
#      3 "" ""                    (jgrad's widest vectors; PyTorch's defaults, which on Debian's PyTorch 1.13
#                                  and OpenBLAS 0.3.21 are AVX2 even on an AVX-512 machine).
# Needs the benchmarks jar (mvn -B -q package -pl benchmarks -am -DskipTests) and /usr/bin/python3 with torch
# on Debian's OpenBLAS (libopenblas0-pthread). Both sides run on 2 MiB pages where the kernel offers them
# (huge-pages.sh; JGRAD_HUGE_PAGES=0 for 4 KiB pages).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/benchmarks/compare/huge-pages.sh"
ROUNDS="${1:-3}" FLAGS="${2:-}" CORE="${3:-}" SPEC="${4:-1024-2048-2048-1024:256}"
JAR="${JAR:-$ROOT/benchmarks/target/jgrad-benchmarks.jar}"
J="${JAVA_HOME:-$(ls -d /usr/lib/jvm/*25* | head -1)}/bin/java"
TORCH_ENV=("${HUGE_ENV[@]}")
if [ -n "$CORE" ]; then
    TORCH_ENV+=(OPENBLAS_CORETYPE="$CORE")
    [ "$CORE" = Haswell ] && TORCH_ENV+=(ATEN_CPU_CAPABILITY=avx2)
fi
jgrad() {  # -> "jgrad step|stepInScope best X ms (median window Y ms; median step Z ms)"
    "$J" -Djmh.ignoreLock=true -cp "$JAR" org.openjdk.jmh.Main '\.TrainStepBenchmark\.step' -p mlp="$SPEC" \
        -p device=cpu -f 1 -wi 2 -w 2s -i 8 -r 1s -bm sample -tu ms \
        -jvmArgsAppend "--add-modules jdk.incubator.vector -Xms4g -Xmx4g -XX:+AlwaysPreTouch $HUGE_JVM $FLAGS" 2>/dev/null \
        | awk '/^# Benchmark: / { n = split($3, p, "."); name = p[n]; k = 0 }
               /^Iteration / { t[name, ++k] = $3; cnt[name] = k }
               /:p0.50 / { med[$1] = $(NF - 1) }
               END { for (b in cnt) { m = cnt[b]; for (i = 1; i <= m; i++) v[i] = t[b, i];
                       for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
                       s = ""; for (key in med) if (key ~ ("\\." b ":p0.50$")) s = med[key]
                       printf "jgrad %s best %.3f ms (median window %.3f ms; median step %.3f ms)\n", b, v[1],
                           (m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2), s } }' \
        | sort
}
echo "# $(lscpu | grep 'Model name' | sed 's/  */ /g'); avx512: $(grep -c avx512f /proc/cpuinfo) cpus; JVM flags '$FLAGS', OPENBLAS_CORETYPE '$CORE', huge pages '$HUGE_JVM ${HUGE_ENV[*]}'"
for ((r = 1; r <= ROUNDS; r++)); do
    echo "# round $r, load: $(cut -d' ' -f1-3 /proc/loadavg)"
    jgrad
    for t in 1 2; do env "${TORCH_ENV[@]}" /usr/bin/python3 "$ROOT/benchmarks/compare/mlp_torch.py" "$t" "$SPEC" 8 8; done
done
