#!/usr/bin/env bash
# ./jgrad bench [--quick] [filter] [-p name=v1,v2] [JMH options]: build the JMH uber-jar if needed, run it, print the table.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/benchmarks/target/jgrad-benchmarks.jar"
if [[ ! -f "$JAR" || -n "$(find "$ROOT" -path "$ROOT/.git" -prune -o \( -name '*.java' -o -name pom.xml -o -name '*.cl' \) -newer "$JAR" -print -quit)" ]]; then
    echo "jgrad: building the benchmark jar..." >&2
    (cd "$ROOT" && mvn -B -q -DskipTests package -pl benchmarks -am) >&2
fi
cd "$ROOT"
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -jar "$JAR" --results "$ROOT/benchmarks/results" "$@"
