package io.glidepath.kube;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.sync.SyncEngine;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Resources the kube tests apply, and their wait for a condition. */
public final class Fixtures {
  private Fixtures() {}

  public static Resource configMap(String namespace, String name, Map<String, String> data) {
    String ns = namespace == null ? "" : "\n  namespace: " + namespace;
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + ns + "\ndata:\n");
    data.forEach((k, v) -> yaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
    if (data.isEmpty()) {
      yaml.append("  {}\n");
    }
    return Yaml.readResources(yaml.toString(), name + ".yaml").get(0);
  }

  public static Resource deployment(String name, String image, int replicas) {
    return Yaml.readResources(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: %s
              namespace: default
            spec:
              replicas: %d
              selector:
                matchLabels: {app: %s}
              template:
                metadata:
                  labels: {app: %s}
                spec:
                  containers:
                  - name: app
                    image: %s
            """
                .formatted(name, replicas, name, name, image),
            name + ".yaml")
        .get(0);
  }

  /**
   * A SyncEngine on {@code clock} whose waits advance the clock and run the cluster's simulated
   * controller once, so workloads become ready without real time passing.
   */
  public static SyncEngine.Builder engineOnManualTime(
      KubeCluster cluster, ManualClock clock, EmbeddedCluster embedded) {
    return SyncEngine.builder(cluster)
        .clock(clock)
        .sleeper(
            d -> {
              clock.advance(d);
              embedded.reconcile();
            });
  }

  /**
   * Polls {@code condition} every 20 ms until it holds; fails naming {@code what} once {@code
   * timeout} has passed.
   */
  public static void eventually(Duration timeout, BooleanSupplier condition, Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what.get());
      }
      Thread.sleep(20);
    }
  }

  /** {@link #eventually(Duration, BooleanSupplier, Supplier)} with a fixed description. */
  public static void eventually(Duration timeout, BooleanSupplier condition, String what)
      throws InterruptedException {
    eventually(timeout, condition, () -> what);
  }

  /** The key of a core-group object in namespace {@code default}. */
  public static io.glidepath.core.resource.ResourceKey key(String kind, String name) {
    return new io.glidepath.core.resource.ResourceKey("", kind, "default", name);
  }
}
