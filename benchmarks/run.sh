#!/usr/bin/env bash
# Runs every JMH benchmark and writes benchmarks/RESULTS.md (Glidepath vs peers, same run).
# Usage: benchmarks/run.sh [extra JMH options, e.g. a name filter]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests -pl benchmarks -am package
jmh_opts=(-f 1 -wi 3 -w 2s -i 5 -r 3s)
java -jar benchmarks/target/benchmarks.jar "${jmh_opts[@]}" -rf json -rff benchmarks/target/jmh-result.json "$@"
java -cp benchmarks/target/benchmarks.jar io.glidepath.benchmarks.Report \
  benchmarks/target/jmh-result.json benchmarks/goals.tsv benchmarks/RESULTS.md \
  "benchmarks/run.sh $*"
