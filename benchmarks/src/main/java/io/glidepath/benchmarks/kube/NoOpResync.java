package io.glidepath.benchmarks.kube;

import io.glidepath.benchmarks.ExtraResult;
import io.glidepath.core.app.SyncOptions;
import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.sync.SyncPlanner;
import io.glidepath.core.sync.SyncSettings;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.sync.SyncEngine;
import io.glidepath.kube.sync.SyncResult;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Issue 6's second goal: after a first sync of N resources, a resync with nothing changed (live
 * state read, drift detected, plan with {@code ApplyOutOfSyncOnly}, sync) makes zero write calls.
 * Counts the write requests the {@link EmbeddedCluster} records during the resync.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.glidepath.benchmarks.kube.NoOpResync [n] [result.json]
 * }</pre>
 */
public final class NoOpResync {
  private NoOpResync() {}

  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    ResourceSet desired = ResourceSet.of(KubeSyncBenchmark.manifests(n));
    SyncSettings settings =
        SyncSettings.manual(true, SyncOptions.of("ApplyOutOfSyncOnly=true"), "default");
    try (EmbeddedCluster embedded = EmbeddedCluster.builder().readyDelay(Duration.ZERO).start();
        KubeCluster cluster = KubeCluster.connect(embedded.config(), RequestRetry.DEFAULT)) {
      SyncEngine engine = SyncEngine.builder(cluster).pollInterval(Duration.ofMillis(50)).build();
      SyncResult first = engine.sync("bench", plan(desired, cluster, settings));
      if (!first.succeeded()) {
        throw new IllegalStateException("first sync failed: " + first);
      }
      embedded.clearRequests();
      long start = System.nanoTime();
      DriftReport report =
          DriftDetector.of(DiffOptions.ofDefaults()).detect(desired, cluster.liveState("bench"));
      SyncResult resync = engine.sync("bench", SyncPlanner.create().plan(report, settings));
      long millis = (System.nanoTime() - start) / 1_000_000;
      int writes = embedded.writes().size();
      System.out.printf(
          "%d resources: resync in sync=%s, %d requests, %d writes, %d ms%n",
          n, report.isInSync(), embedded.requests().size(), writes, millis);
      if (!report.isInSync() || !resync.succeeded()) {
        throw new IllegalStateException("resync found drift: " + report.unifiedDiff());
      }
      if (args.length > 1) {
        ExtraResult.write(
            Path.of(args[1]),
            List.of(
                new ExtraResult(
                    NoOpResync.class.getName() + ".writeCalls", writes, "writes", true)));
      }
    }
  }

  private static io.glidepath.core.sync.SyncPlan plan(
      ResourceSet desired, KubeCluster cluster, SyncSettings settings) {
    return SyncPlanner.create()
        .plan(
            DriftDetector.of(DiffOptions.ofDefaults()).detect(desired, cluster.liveState("bench")),
            settings);
  }
}
