package io.glidepath.kube.internal;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.TrackingId;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the shared cache tells the listeners of an app about a change to one of its objects. */
class LiveChangeListenersIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  // no simulated controller: nothing but the test writes, so the versions follow one another
  private final EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
  private final KubeCluster cluster = KubeCluster.connect(embedded.config(), RequestRetry.DEFAULT);
  private final DefaultKubeCluster kube = DefaultKubeCluster.cast(cluster);
  private final ResourceType configMaps = kube.resourceType("", "ConfigMap").orElseThrow();
  private final ResourceKey key = new ResourceKey("", "ConfigMap", "default", "limits");

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  @Test
  void aListenerGetsTheObjectAndAKeysOnlyListenerJustItsKey() throws Exception {
    List<Optional<Resource>> told = new CopyOnWriteArrayList<>();
    List<ResourceKey> keys = new CopyOnWriteArrayList<>();
    try (SharedLiveCache.Registration whole =
            kube.liveCache().register("shop", (k, live) -> told.add(live));
        SharedLiveCache.Registration keysOnly =
            kube.liveCache().register("shop", SharedLiveCache.keysOnly(keys::add))) {
      whole.watch(List.of(configMaps));
      keysOnly.watch(List.of(configMaps));

      String body =
          """
          {"apiVersion": "v1", "kind": "ConfigMap",
           "metadata": {"name": "limits", "namespace": "default",
                        "annotations": {"%s": "%s"}},
           "data": {"cpu": "2"}}
          """
              .formatted(TrackingId.ANNOTATION, TrackingId.of("shop", key).value());
      assertThat(
              kube.api()
                  .send(
                      "PATCH",
                      configMaps.itemPath("default", "limits") + "?fieldManager=test",
                      "application/apply-patch+yaml",
                      body,
                      key)
                  .ok())
          .isTrue();

      eventually(WAIT, () -> !told.isEmpty() && !keys.isEmpty(), "both listeners told");
      assertThat(keys).containsOnly(key);
      assertThat(told.get(0))
          .hasValueSatisfying(r -> assertThat(r.body().at("/data/cpu").asString()).isEqualTo("2"));
    }
  }

  /**
   * An event showing an object at the version a write's answer gave, which the keys-only listener's
   * last live-state read already returned, does not wake it again; one it has not read does, and a
   * listener of objects is told of both.
   */
  @Test
  void aKeysOnlyListenerIsNotWokenByTheEchoOfAWriteItsReadAlreadyReturned() throws Exception {
    List<Optional<Resource>> told = new CopyOnWriteArrayList<>();
    List<ResourceKey> keys = new CopyOnWriteArrayList<>();
    ResourceKey other = new ResourceKey("", "ConfigMap", "default", "quotas");
    try (SharedLiveCache.Registration whole =
            kube.liveCache().register("shop", (k, live) -> told.add(live));
        SharedLiveCache.Registration keysOnly =
            kube.liveCache().register("shop", SharedLiveCache.keysOnly(keys::add))) {
      whole.watch(List.of(configMaps));
      keysOnly.watch(List.of(configMaps));
      for (ResourceKey k : List.of(key, other)) {
        embedded.client().resource(configMap(k, "1")).create();
      }
      eventually(WAIT, () -> told.size() == 2 && keys.size() == 2, "both listeners told twice");
      long version =
          Long.parseLong(
              embedded
                  .client()
                  .configMaps()
                  .inNamespace("default")
                  .withName("quotas")
                  .get()
                  .getMetadata()
                  .getResourceVersion());

      // as if this process wrote each object and the answer came before its event: the next
      // write's version, which the test's own write then makes
      for (ResourceKey k : List.of(key, other)) {
        version++;
        io.fabric8.kubernetes.api.model.ConfigMap next = configMap(k, "2");
        next.getMetadata().setResourceVersion(Long.toString(version));
        KubeApi.WriteObserver writes = kube.liveCache().writes();
        writes.writing(k);
        writes.written(
            k, new KubeApi.Answer(200, io.glidepath.core.yaml.Yaml.mapper().valueToTree(next)));
        if (k.equals(key)) {
          // the keys-only listener's app reads its live state: the written object in it
          assertThat(keysOnly.liveState().get(key))
              .hasValueSatisfying(
                  r -> assertThat(r.body().at("/data/cpu").asString()).isEqualTo("2"));
        }
        next.getMetadata().setResourceVersion(null);
        embedded.client().resource(next).update();
        assertThat(
                embedded
                    .client()
                    .configMaps()
                    .inNamespace("default")
                    .withName(k.name())
                    .get()
                    .getMetadata()
                    .getResourceVersion())
            .as("the version the test predicted")
            .isEqualTo(Long.toString(version));
      }

      eventually(WAIT, () -> told.size() == 4, "the listener of objects told of both writes");
      eventually(WAIT, () -> keys.size() == 3, "the keys-only listener told of the unread one");
      Thread.sleep(300); // an event it should not get would come meanwhile
      assertThat(keys).containsExactlyInAnyOrder(key, other, other);
    }
  }

  private static io.fabric8.kubernetes.api.model.ConfigMap configMap(ResourceKey k, String cpu) {
    return new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata()
        .withName(k.name())
        .withNamespace(k.namespace())
        .addToAnnotations(TrackingId.ANNOTATION, TrackingId.of("shop", k).value())
        .endMetadata()
        .addToData("cpu", cpu)
        .build();
  }
}
