#!/usr/bin/env bash
# jgrad's nn benchmarks beside PyTorch 1.13, interleaved (jgrad, torch, jgrad, torch, ...) so both see
# the same machine load: LayerBenchmark's layers, CnnTrainStepBenchmark's step, ConvBenchmark's passes.
#   benchmarks/compare/nn-same-run.sh [rounds] [cases...]   e.g.  nn-same-run.sh 3 batchNorm2d layerNorm lstm cnn conv
# JAR=... times another build of the benchmarks jar. Needs the benchmarks jar (mvn -B -o -q package -pl benchmarks -am -DskipTests) and /usr/bin/python3 with torch.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/benchmarks/compare/huge-pages.sh"
ROUNDS="${1:-3}"; shift || true
CASES=("${@:-batchNorm2d layerNorm lstm cnn}")
# the heap BenchMain uses: fixed and pre-touched, so page faults on fresh heap do not time the kernels
# (and on 2 MiB pages where the kernel offers them, as PyTorch below: huge-pages.sh)
JVM="--add-modules jdk.incubator.vector -Xms4g -Xmx4g -XX:+AlwaysPreTouch $HUGE_JVM"
JAR="${JAR:-$ROOT/benchmarks/target/jgrad-benchmarks.jar}"
J="${JAVA_HOME:-$(ls -d /usr/lib/jvm/*25* | head -1)}/bin/java"
jmh() {  # jmh CASE -> "jgrad CASE ms"
    local filter params unit
    if [ "$1" = conv ]; then jmh_conv; return; fi
    if [ "$1" = cnn ]; then filter=CnnTrainStepBenchmark; params=(-p device=cpu); unit=ms
    else filter=LayerBenchmark; params=(-p layer="$1" -p device=cpu); unit=us; fi
    "$J" -Djmh.ignoreLock=true -cp "$JAR" org.openjdk.jmh.Main \
        "$filter" -f 1 -wi 4 -w 2s -i 5 -r 2s -jvmArgsAppend "$JVM" \
        "${params[@]}" 2>/dev/null \
        | awk -v c="$1" -v u="$unit" -v f="$filter" 'index($1, f ".") == 1 && $0 ~ /avgt/ {
            for (i = 1; i <= NF; i++) if ($i == "avgt") s = $(i + 2);
            label = ($1 ~ /InScope$/) ? c " (in a MemoryScope)" : c
            printf "jgrad %s %.3f ms\n", label, (u == "us" ? s / 1000 : s) }'
}
jmh_conv() {  # every ConvBenchmark pass -> "jgrad conv SHAPE PASS ms GFLOP/s" (params sort as device, pass, shape)
    "$J" -Djmh.ignoreLock=true -cp "$JAR" org.openjdk.jmh.Main ConvBenchmark -f 1 -wi 4 -w 2s -i 5 -r 2s \
        -jvmArgsAppend "$JVM" -p device=cpu 2>/dev/null \
        | awk 'index($1, "ConvBenchmark.") == 1 && $0 ~ /avgt/ {
            split($4, a, /[-:]/); oh = a[3] + 2 * a[7] - a[6] + 1; ow = a[4] + 2 * a[7] - a[6] + 1;
            f = 2.0 * a[1] * a[5] * oh * ow * a[2] * a[6] * a[6];
            printf "jgrad conv %s %s %.3f ms %.1f GFLOP/s\n", $4, $3, $7 / 1000, f / ($7 * 1e-6) / 1e9 }'
}
echo "# $(lscpu | grep 'Model name' | sed 's/  */ /g'); avx512: $(grep -c avx512f /proc/cpuinfo) cpus; huge pages '$HUGE_JVM ${HUGE_ENV[*]}'; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= ROUNDS; r++)); do
    for c in ${CASES[@]}; do
        jmh "$c"
        env "${HUGE_ENV[@]}" /usr/bin/python3 "$ROOT/benchmarks/compare/nn_torch.py" "$c"
    done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
