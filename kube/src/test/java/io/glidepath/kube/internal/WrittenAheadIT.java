package io.glidepath.kube.internal;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.TrackingId;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An object this process wrote is read as the write's answer gave it until the informer shows that
 * version: a comparison right after a sync sees what the sync wrote, and never an older copy after
 * it.
 */
class WrittenAheadIT {
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

  private static String configMap(String owner, String value) {
    ResourceKey key = new ResourceKey("", "ConfigMap", "default", "settings");
    return """
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "settings", "namespace": "default",
                      "annotations": {"%s": "%s"}},
         "data": {"v": "%s"}}
        """
        .formatted(TrackingId.ANNOTATION, TrackingId.of(owner, key).value(), value);
  }

  /** The answer a write of the ConfigMap at {@code version} would get. */
  private static KubeApi.Answer answer(String owner, String value, String version) {
    JsonNode body = Yaml.mapper().readTree(configMap(owner, value));
    ((tools.jackson.databind.node.ObjectNode) body.path("metadata"))
        .put("resourceVersion", version);
    return new KubeApi.Answer(200, body);
  }

  private static Optional<String> value(SharedLiveCache.Registration r, ResourceKey key) {
    return r.liveState().stream()
        .filter(o -> o.key().equals(key))
        .findFirst()
        .map(o -> o.body().at("/data/v").asString(""));
  }

  private static Optional<String> version(SharedLiveCache.Registration r, ResourceKey key) {
    return r.liveState().stream()
        .filter(o -> o.key().equals(key))
        .findFirst()
        .map(Resource::body)
        .map(b -> b.at("/metadata/resourceVersion").asString(""));
  }

  @Test
  void aWrittenObjectIsReadBeforeItsEventAndOnlyByItsApp() {
    try (SharedLiveCache.Registration shop = kube.liveCache().register("shop", (k, live) -> {});
        SharedLiveCache.Registration other = kube.liveCache().register("other", (k, live) -> {})) {
      shop.watch(List.of(configMaps));
      other.watch(List.of(configMaps));
      KubeApi.WriteObserver writes = kube.liveCache().writes();
      // a write the informer cannot show yet (its version exists only in the answer)
      writes.writing(key);
      writes.written(key, answer("shop", "one", "written-1"));

      assertThat(version(shop, key)).contains("written-1");
      assertThat(value(shop, key)).contains("one");
      assertThat(other.liveState().isEmpty()).isTrue();
      // a read finding nothing there ends it
      kube.liveCache().absentNow(key);
      assertThat(shop.liveState().isEmpty()).isTrue();
    }
  }

  @Test
  void anEventOfTheObjectWhileTheWriteWasInFlightLeavesTheInformersCopy() throws Exception {
    try (SharedLiveCache.Registration shop = kube.liveCache().register("shop", (k, live) -> {})) {
      shop.watch(List.of(configMaps));
      KubeApi.WriteObserver writes = kube.liveCache().writes();
      writes.writing(key);
      // meanwhile the informer shows the object (it may be the write's own version, or newer)
      cluster
          .client()
          .resource(
              cluster
                  .client()
                  .getKubernetesSerialization()
                  .unmarshal(
                      configMap("shop", "two"), io.fabric8.kubernetes.api.model.ConfigMap.class))
          .create();
      eventually(WAIT, () -> value(shop, key).equals(Optional.of("two")), "the informer");
      writes.written(key, answer("shop", "one", "written-1"));

      assertThat(value(shop, key)).as("the informer's copy, not the answer").contains("two");
    }
  }

  @Test
  void theInformersNewerCopyReplacesTheWrittenOneOnceItShowsTheWrite() throws Exception {
    try (SharedLiveCache.Registration shop = kube.liveCache().register("shop", (k, live) -> {})) {
      shop.watch(List.of(configMaps));
      // written through the cluster's requests: the answer stands in until its event
      KubeApi.Answer a =
          kube.api()
              .send(
                  "PATCH",
                  configMaps.itemPath("default", "settings") + "?fieldManager=test&force=true",
                  "application/apply-patch+yaml",
                  configMap("shop", "one"),
                  key);
      assertThat(a.ok()).isTrue();
      // changed again by someone else: once the informer shows the write, it shows the change
      cluster
          .client()
          .configMaps()
          .inNamespace("default")
          .withName("settings")
          .edit(
              c ->
                  new io.fabric8.kubernetes.api.model.ConfigMapBuilder(c)
                      .withData(Map.of("v", "two"))
                      .build());
      // well before the written copy would stop standing in by age
      Duration soon = SharedLiveCache.AHEAD_FOR.dividedBy(3);
      eventually(soon, () -> value(shop, key).equals(Optional.of("two")), "the newer copy");
      assertThat(shop.liveState().size()).isEqualTo(1);
    }
  }
}
