package io.glidepath.kube;

import static io.glidepath.kube.Fixtures.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.kube.apply.Applier;
import io.glidepath.kube.apply.ApplyOptions;
import io.glidepath.kube.apply.Pruner;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

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
}
