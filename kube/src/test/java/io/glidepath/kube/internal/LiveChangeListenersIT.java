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

  private final EmbeddedCluster embedded = EmbeddedCluster.start();
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
}
