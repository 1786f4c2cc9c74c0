#!/usr/bin/env bash
# Runs every benchmark named in the issues and writes benchmarks/RESULTS.md: Glidepath's figure, the
# peer's figure from the same run (kubectl kustomize, kubectl apply --server-side, zjsonpatch, the
# JsonNode.equals floor), the ratio and the goal (benchmarks/goals.tsv).
# Usage: benchmarks/run.sh            everything (about 9 minutes on a quiet 2-core machine)
#        benchmarks/run.sh FILTER...  only the JMH benchmarks matching FILTER (a JMH regexp)
# Needs kubectl on the PATH for the kubectl peers. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
# the command line too (cli/target/glidepath-cli.jar and its class-data archive): ColdStart runs it
mvn -B -q -ntp -DskipTests -pl benchmarks,cli -am package
jar=benchmarks/target/benchmarks.jar
out=benchmarks/target
results=()
# time-based benchmarks: one fork, short warmup and measurement windows
jmh_opts=(-f 1 -wi 3 -w 2s -i 5 -r 3s)
if [ $# -gt 0 ]; then
  java -jar "$jar" "${jmh_opts[@]}" -rf json -rff "$out/jmh-result.json" "$@"
  results+=("$out/jmh-result.json")
else
  java -jar "$jar" "${jmh_opts[@]}" -e RolloutClusterBenchmark -e 'KubeSync' \
    -rf json -rff "$out/jmh-result.json"
  results+=("$out/jmh-result.json")
  # first sync of 1,000 resources: steady state (40 warm-up syncs, 20 measured) and cold JVMs (8
  # forks of one sync each, with bin/glidepath's flags for sync and with the JVM's defaults), as
  # their annotations say; the cold runs skip the transport floors
  java -jar "$jar" KubeSyncBenchmark -rf json -rff "$out/jmh-kube.json"
  results+=("$out/jmh-kube.json")
  java -jar "$jar" 'KubeSyncColdStart(JvmDefaults)?.(glidepathServerSideApply|kubectlServerSideApply)' \
    -rf json -rff "$out/jmh-kube-cold.json"
  results+=("$out/jmh-kube-cold.json")
  # single-shot latency on the EmbeddedCluster: its own sample counts (annotations)
  java -jar "$jar" RolloutClusterBenchmark -rf json -rff "$out/jmh-cluster.json"
  results+=("$out/jmh-cluster.json")
  # figures JMH does not measure: retained heap, write calls
  java -cp "$jar" io.glidepath.benchmarks.rollout.RolloutHeap 1000 "$out/heap.json"
  results+=("$out/heap.json")
  java -cp "$jar" io.glidepath.benchmarks.kube.NoOpResync 1000 "$out/noop-resync.json"
  results+=("$out/noop-resync.json")
  java -cp "$jar" io.glidepath.benchmarks.appset.AppSetNoOpPass 1000 "$out/appset-noop.json"
  results+=("$out/appset-noop.json")
  # many apps in one controller process (issue 25): the EmbeddedCluster runs in a JVM of its own;
  # the controller's JVM gets 1 GB of heap, the goal for 3,000 apps. Arguments: apps, resync
  # period in seconds, one-app commits to measure. At 3,000 the idle CPU is measured after one
  # warm-up resync period and 20 commits after 30 warm-up commits (the JIT's first work on those
  # code paths lasts about that long; the first 10 are reported apart).
  java -Xmx1g -cp "$jar" io.glidepath.benchmarks.kube.ManyApps 1000 60 5 "$out/many-apps-1000.json"
  results+=("$out/many-apps-1000.json")
  java -Xmx1g -Dmanyapps.warmupcommits=30 -Dmanyapps.idlewarmupperiods=1 -cp "$jar" io.glidepath.benchmarks.kube.ManyApps 3000 60 20 "$out/many-apps-3000.json"
  results+=("$out/many-apps-3000.json")
  # scale-out over Leases (issue 23): replica JVMs sharing 300 apps with the default 15 s lease;
  # one joins, two are killed (about 1.5 minutes)
  java -cp "$jar" io.glidepath.benchmarks.kube.Failover 300 "$out/failover.json"
  results+=("$out/failover.json")
  # scale (issue 23): 5,000 apps over 3 sharded replica JVMs (-Xmx1g each) and the EmbeddedCluster
  # in its own JVM (-Xmx6g); start-up, reconcile throughput and heap per app in each replica
  java -cp "$jar" io.glidepath.benchmarks.kube.ScaleOut 5000 3 "$out/scale-out.json"
  results+=("$out/scale-out.json")
  # the command line as whole processes, side by side with kubectl kustomize (medians of 11 runs)
  java -cp "$jar" io.glidepath.benchmarks.cli.ColdStart . 11 "$out/cold-start.json"
  results+=("$out/cold-start.json")
fi
java -cp "$jar" io.glidepath.benchmarks.Report benchmarks/goals.tsv benchmarks/RESULTS.md \
  "benchmarks/run.sh${*:+ $*}" "${results[@]}"
