package io.glidepath.kube;

import static io.glidepath.kube.Fixtures.configMap;
import static io.glidepath.kube.Fixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.Resource;
import io.glidepath.kube.apply.Applier;
import io.glidepath.kube.apply.ApplyOptions;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubeClusterIT {
  private final EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  @Test
  void discoversBuiltInKindsAndProgressiveDeliveryCrds() {
    assertThat(cluster.resourceType("apps", "Deployment"))
        .hasValueSatisfying(t -> assertThat(t.plural()).isEqualTo("deployments"));
    assertThat(cluster.resourceType("argoproj.io", "Rollout"))
        .hasValueSatisfying(t -> assertThat(t.namespaced()).isTrue());
    assertThat(cluster.resourceType("", "Namespace"))
        .hasValueSatisfying(t -> assertThat(t.namespaced()).isFalse());
    assertThat(cluster.resourceType("example.com", "Nothing")).isEmpty();
  }

  @Test
  void liveStateHoldsOnlyWhatCarriesTheAppsOwnTrackingId() {
    Applier.of(cluster, ApplyOptions.ofDefaults())
        .apply(
            "shop",
            List.of(configMap(null, "settings", Map.of("a", "1")), deployment("web", "w:1", 1)));
    Applier.of(cluster, ApplyOptions.ofDefaults())
        .apply("billing", List.of(configMap(null, "ledger", Map.of())));
    embedded.reconcile();
    Resource copiedAnnotation =
        configMap(null, "copy", Map.of())
            .withLabel("app.kubernetes.io/instance", "shop")
            .withAnnotation(TrackingId.ANNOTATION, "shop:/ConfigMap:default/settings");
    cluster.client().resource(copiedAnnotation.body().toString()).create();

    var live = cluster.liveState("shop");

    assertThat(live.keys())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("ConfigMap:default/settings", "apps/Deployment:default/web");
  }

  @Test
  void trackingIdsRoundTripAndRejectForeignFormats() {
    TrackingId id =
        TrackingId.of(
            "shop", new io.glidepath.core.resource.ResourceKey("", "Namespace", "", "prod"));

    assertThat(id.value()).isEqualTo("shop:/Namespace:/prod");
    assertThat(TrackingId.parse(id.value())).contains(id);
    assertThat(TrackingId.parse("shop")).isEmpty();
    assertThat(TrackingId.parse("shop:apps/Deployment")).isEmpty();
  }
}
