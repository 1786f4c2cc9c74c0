package io.glidepath.kube.internal;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.TrackingId;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared cache vouches for an object's absence only while a read could not answer otherwise:
 * its kind listed and watched, and no write of it by this process that the informer has not shown.
 */
class AbsenceVouchIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster = KubeCluster.connect(embedded.config(), RequestRetry.DEFAULT);
  private final DefaultKubeCluster kube = DefaultKubeCluster.cast(cluster);
  private final ResourceType configMaps = kube.resourceType("", "ConfigMap").orElseThrow();
  private final ResourceKey key = new ResourceKey("", "ConfigMap", "default", "settings");

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  /** Applies the ConfigMap, owned by app "shop", through the cluster's requests. */
  private KubeApi.Answer apply(String value) {
    String body =
        """
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "settings", "namespace": "default",
                      "annotations": {"%s": "%s"}},
         "data": {"v": "%s"}}
        """
            .formatted(TrackingId.ANNOTATION, TrackingId.of("shop", key).value(), value);
    return kube.api()
        .send(
            "PATCH",
            configMaps.itemPath("default", "settings") + "?fieldManager=test&force=true",
            "application/apply-patch+yaml",
            body,
            key);
  }

  @Test
  void anObjectShownAfterTheLiveStateWasReadIsReadAgainNotVouchedAbsent() throws Exception {
    try (LiveStateCache cache = new LiveStateCache(kube, "shop", (k, live) -> {})) {
      cache.watch(List.of(configMaps));
      ResourceSet before = cache.liveState(); // a reconcile reads the cache ...
      assertThat(apply("one").ok()).isTrue(); // ... just before a sync's write's event arrives
      eventually(
          WAIT,
          () -> cache.liveState().stream().anyMatch(o -> o.key().equals(key)),
          "the informer");
      ResourceSet desired =
          ResourceSet.of(
              Yaml.readResources(
                  """
                  apiVersion: v1
                  kind: ConfigMap
                  metadata: {name: settings, namespace: default}
                  data: {v: one}
                  """,
                  "settings.yaml"));
      DriftDetector detector = DriftDetector.of(DiffOptions.builder().build());
      DriftReport drift = detector.detect(desired, before);
      assertThat(drift.get(key).orElseThrow().status()).isEqualTo(DriftStatus.MISSING);

      // the write's event left no unseen write: only the object the informer now holds tells
      // that the earlier read is out of date, so it is read again rather than vouched absent
      DriftReport confirmed = detector.detect(desired, cache.confirm(before, drift));
      assertThat(confirmed.isInSync()).as(confirmed.toString()).isTrue();
    }
  }

  @Test
  void anUnwatchedKindIsNeverVouchedFor() {
    try (SharedLiveCache.Registration r = kube.liveCache().register("shop", (k, live) -> {})) {
      assertThat(r.vouchesForAbsence(key)).isFalse();
      r.watch(List.of(configMaps));
      assertThat(r.vouchesForAbsence(key)).isTrue();
    }
  }

  @Test
  void anObjectThisProcessWroteIsNotVouchedAbsentUntilTheInformerShowsThatWrite() throws Exception {
    try (SharedLiveCache.Registration r = kube.liveCache().register("shop", (k, live) -> {})) {
      r.watch(List.of(configMaps));
      // the write is recorded before it is sent: however fast the event, no gap
      KubeApi.WriteObserver writes = kube.liveCache().writes();
      writes.writing(key);
      assertThat(r.vouchesForAbsence(key)).isFalse();
      // an event of another version (older, on its way) does not count
      writes.written(
          key,
          new KubeApi.Answer(
              200,
              tools.jackson.databind.node.JsonNodeFactory.instance
                  .objectNode()
                  .set(
                      "metadata",
                      tools.jackson.databind.node.JsonNodeFactory.instance
                          .objectNode()
                          .put("resourceVersion", "no-such-version"))));
      assertThat(apply("one").ok()).isTrue(); // really written: its own version is recorded
      eventually(
          WAIT, () -> r.liveState().stream().anyMatch(o -> o.key().equals(key)), "the informer");
      // shown: no unseen write left, but the object is there, so its absence is not vouched for
      assertThat(r.vouchesForAbsence(key)).isFalse();

      // deleted by someone else: once the informer shows that, absence is vouched for
      cluster.client().configMaps().inNamespace("default").withName("settings").delete();
      eventually(
          WAIT, () -> r.liveState().stream().noneMatch(o -> o.key().equals(key)), "the deletion");
      assertThat(r.vouchesForAbsence(key)).isTrue();

      // a write whose version the informer has not shown: a read finding nothing clears it
      writes.writing(key);
      assertThat(r.vouchesForAbsence(key)).isFalse();
      kube.liveCache().absentNow(key);
      assertThat(r.vouchesForAbsence(key)).isTrue();
    }
  }
}
