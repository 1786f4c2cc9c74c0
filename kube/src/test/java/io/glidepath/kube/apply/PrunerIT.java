package io.glidepath.kube.apply;

import static io.glidepath.kube.Fixtures.configMap;
import static io.glidepath.kube.Fixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.ResourceKey;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.TrackingId;
import io.glidepath.kube.apply.PruneResult.Outcome;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrunerIT {
  private final EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static ResourceKey cm(String name) {
    return new ResourceKey("", "ConfigMap", "default", name);
  }

  @Test
  void prunesOwnedResourcesWithForegroundPropagationAndTheirDependents() {
    Applier.of(cluster, ApplyOptions.ofDefaults())
        .apply("shop", List.of(deployment("web", "w:1", 1)));
    embedded.reconcile();
    assertThat(cluster.client().apps().replicaSets().inNamespace("default").list().getItems())
        .hasSize(1);

    List<PruneResult> results =
        Pruner.of(cluster)
            .prune("shop", List.of(new ResourceKey("apps", "Deployment", "default", "web")));

    assertThat(results).extracting(PruneResult::outcome).containsExactly(Outcome.PRUNED);
    assertThat(cluster.client().apps().replicaSets().inNamespace("default").list().getItems())
        .isEmpty();
    assertThat(embedded.requests())
        .filteredOn(c -> c.verb() == Verb.DELETE)
        .extracting(RecordedCall::body)
        .allMatch(b -> b.contains("\"propagationPolicy\":\"Foreground\""));
  }

  @Test
  void neverPrunesWhatTheAppDoesNotOwn() {
    Applier.of(cluster, ApplyOptions.ofDefaults())
        .apply("billing", List.of(configMap(null, "theirs", Map.of())));
    // a copy of the shop's label and of another object's tracking annotation: still not owned
    cluster
        .client()
        .configMaps()
        .inNamespace("default")
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("copied")
                .addToLabels("app.kubernetes.io/instance", "shop")
                .addToAnnotations(TrackingId.ANNOTATION, "shop:/ConfigMap:default/original")
                .endMetadata()
                .build())
        .create();
    embedded.clearRequests();

    List<PruneResult> results =
        Pruner.of(cluster, PropagationPolicy.FOREGROUND)
            .prune("shop", List.of(cm("theirs"), cm("copied"), cm("absent")));

    assertThat(results)
        .extracting(PruneResult::outcome)
        .containsExactly(Outcome.SKIPPED, Outcome.SKIPPED, Outcome.SKIPPED);
    assertThat(results.get(1).message()).contains("not owned");
    assertThat(results.get(2).message()).contains("already gone");
    assertThat(embedded.writes()).isEmpty();
  }

  @Test
  void respectsPruneFalse() {
    var keep = configMap(null, "keep", Map.of()).withAnnotation(Pruner.SYNC_OPTIONS, "Prune=false");
    Applier.of(cluster, ApplyOptions.ofDefaults()).apply("shop", List.of(keep));

    List<PruneResult> results =
        Pruner.of(cluster, PropagationPolicy.BACKGROUND).prune("shop", List.of(cm("keep")));

    assertThat(results.get(0).outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(results.get(0).message()).isEqualTo("Prune=false");
    assertThat(cluster.get(cm("keep"))).isPresent();
  }

  @Test
  void dryRunPruneDeletesNothing() {
    Applier.of(cluster, ApplyOptions.ofDefaults())
        .apply("shop", List.of(configMap(null, "gone-soon", Map.of())));

    List<PruneResult> results =
        Pruner.dryRun(cluster, PropagationPolicy.FOREGROUND)
            .prune("shop", List.of(cm("gone-soon")));

    assertThat(results.get(0).outcome()).isEqualTo(Outcome.PRUNED);
    assertThat(cluster.get(cm("gone-soon"))).isPresent();
  }
}
