package io.glidepath.kube;

import static io.glidepath.kube.Fixtures.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.glidepath.kube.apply.Applier;
import io.glidepath.kube.apply.ApplyOptions;
import io.glidepath.kube.apply.Pruner;
import io.glidepath.kube.internal.DefaultKubeCluster;
import io.glidepath.kube.internal.SharedLiveCache;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Verb;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class LiveWatchIT {
  @Test
  void reportsChangesToOwnedResourcesOnly() throws Exception {
    try (EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
        KubeCluster cluster =
            KubeCluster.connect(
                embedded.config(),
                new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)))) {
      LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
      ResourceType configMaps = cluster.resourceType("", "ConfigMap").orElseThrow();
      try (LiveWatch watch =
          LiveWatch.start(
              cluster,
              "shop",
              List.of(configMaps),
              (key, live) -> events.add(key.name() + (live.isPresent() ? " present" : " gone")))) {
        Applier.of(cluster, ApplyOptions.ofDefaults())
            .apply("billing", List.of(configMap(null, "theirs", Map.of())));
        Applier.of(cluster, ApplyOptions.ofDefaults())
            .apply("shop", List.of(configMap(null, "mine", Map.of("a", "1"))));
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("mine present");
        assertThat(watch.liveState().keys()).containsExactly(Fixtures.key("ConfigMap", "mine"));

        // a manual edit, as selfHeal must notice
        cluster
            .client()
            .configMaps()
            .inNamespace("default")
            .withName("mine")
            .edit(
                cm -> {
                  cm.getData().put("a", "edited");
                  return cm;
                });
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("mine present");
        assertThat(
                watch
                    .liveState()
                    .get(Fixtures.key("ConfigMap", "mine"))
                    .orElseThrow()
                    .body()
                    .at("/data/a")
                    .asString())
            .isEqualTo("edited");

        Pruner.of(cluster).prune("shop", List.of(Fixtures.key("ConfigMap", "mine")));
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("mine gone");
        assertThat(watch.liveState().isEmpty()).isTrue();
        assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(watch.synced()).isTrue();
      }
    }
  }

  @Test
  void watchesOfOneKindShareOneInformerThatKeepsOnlyTrackedObjectsAndStopsWithItsLastUser()
      throws Exception {
    try (EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
        KubeCluster cluster =
            KubeCluster.connect(
                embedded.config(),
                new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)))) {
      ResourceType configMaps = cluster.resourceType("", "ConfigMap").orElseThrow();
      Applier.of(cluster, ApplyOptions.ofDefaults())
          .apply("shop", List.of(configMap(null, "mine", Map.of("a", "1"))));
      Applier.of(cluster, ApplyOptions.ofDefaults())
          .apply("billing", List.of(configMap(null, "theirs", Map.of())));
      cluster
          .client()
          .configMaps()
          .inNamespace("default")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("untracked")
                  .endMetadata()
                  .addToData("big", "x".repeat(10_000))
                  .build())
          .create();
      embedded.clearRequests();
      LinkedBlockingQueue<String> shopEvents = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<String> billingEvents = new LinkedBlockingQueue<>();

      LiveWatch shop =
          LiveWatch.start(cluster, "shop", List.of(configMaps), (k, l) -> shopEvents.add(k.name()));
      LiveWatch billing =
          LiveWatch.start(
              cluster, "billing", List.of(configMaps), (k, l) -> billingEvents.add(k.name()));

      // the second watch joins the running informer: its app's objects are reported at once
      assertThat(shopEvents.poll(10, TimeUnit.SECONDS)).isEqualTo("mine");
      assertThat(billingEvents.poll(10, TimeUnit.SECONDS)).isEqualTo("theirs");
      assertThat(embedded.requests())
          .filteredOn(c -> c.verb() == Verb.WATCH || c.verb() == Verb.LIST)
          .hasSize(2);
      assertThat(shop.liveState().keys()).containsExactly(Fixtures.key("ConfigMap", "mine"));
      assertThat(billing.liveState().keys()).containsExactly(Fixtures.key("ConfigMap", "theirs"));
      // kept: the two tracked objects only, once each, with managedFields cut to what diffs read
      SharedLiveCache cache = DefaultKubeCluster.cast(cluster).liveCache();
      assertThat(cache.size()).isEqualTo(2);
      JsonNode managed =
          shop.liveState()
              .get(Fixtures.key("ConfigMap", "mine"))
              .orElseThrow()
              .body()
              .at("/metadata/managedFields/0");
      assertThat(managed.has("fieldsV1")).isTrue();
      assertThat(managed.has("manager")).isTrue();
      assertThat(managed.has("time")).isFalse();
      assertThat(
              cluster
                  .get(Fixtures.key("ConfigMap", "mine"))
                  .orElseThrow()
                  .body()
                  .at("/metadata/managedFields/0")
                  .has("time"))
          .isTrue();

      // the last user of a kind stops its informer; the next one lists and watches again
      shop.close();
      assertThat(cache.watchedTypes()).containsExactly(configMaps);
      billing.close();
      assertThat(cache.watchedTypes()).isEmpty();
      embedded.clearRequests();
      try (LiveWatch again = LiveWatch.start(cluster, "shop", List.of(configMaps), (k, l) -> {})) {
        assertThat(again.liveState().keys()).containsExactly(Fixtures.key("ConfigMap", "mine"));
        assertThat(embedded.requests()).anyMatch(c -> c.verb() == Verb.LIST);
      }

      // closing the cluster stops its informers for good
      LiveWatch open = LiveWatch.start(cluster, "shop", List.of(configMaps), (k, l) -> {});
      cluster.close();
      assertThat(cache.watchedTypes()).isEmpty();
      open.close(); // harmless once the cluster closed it
      assertThatThrownBy(() -> LiveWatch.start(cluster, "shop", List.of(configMaps), (k, l) -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }
}
