package io.glidepath.kube.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.apply.Applier;
import io.glidepath.kube.apply.ApplyOptions;
import io.glidepath.kube.apply.ApplyReport;
import io.glidepath.kube.apply.ApplyResult;
import io.glidepath.kube.apply.ApplyResult.Outcome;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Fault;
import io.glidepath.testkit.cluster.Verb;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Force=true} under sharding: the delete of a recreation carries the uid and the
 * resourceVersion of the object read before the fencing check, so a delete that passed the check
 * but arrives after another replica took the app over and changed the object is refused, and the
 * object is not created again by the stale replica.
 */
class FencedRecreateIT {
  private final EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
  private final KubeCluster cluster = KubeCluster.connect(embedded.config(), RequestRetry.NONE);

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static Resource configMap(String value) {
    return Resource.of(
        (tools.jackson.databind.node.ObjectNode)
            Yaml.mapper()
                .readTree(
                    """
                    {"apiVersion": "v1", "kind": "ConfigMap",
                     "metadata": {"name": "settings", "namespace": "default"},
                     "data": {"a": "%s"}}
                    """
                        .formatted(value)),
        io.glidepath.core.Origin.of("settings.yaml"));
  }

  private String liveValue() {
    return cluster
        .get(new ResourceKey("", "ConfigMap", "default", "settings"))
        .orElseThrow()
        .body()
        .at("/data/a")
        .asString();
  }

  @Test
  void aRecreationOvertakenByTheNewOwnersChangeDeletesNothing() {
    Applier.of(cluster, ApplyOptions.ofDefaults()).apply("shop", List.of(configMap("1")));
    embedded.inject(Fault.status(422).on(Verb.APPLY).times(2)); // an immutable field, say
    AtomicInteger deletes = new AtomicInteger();
    WriteFence.Check check =
        (method, path, key) -> {
          if (method.equals("DELETE") && deletes.incrementAndGet() == 1) {
            // the check passes; before the delete lands, the new owner writes the object
            embedded
                .client()
                .configMaps()
                .inNamespace("default")
                .resource(
                    new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("settings")
                        .withNamespace("default")
                        .endMetadata()
                        .withData(Map.of("a", "new-owner"))
                        .build())
                .update();
          }
        };

    ApplyReport report =
        WriteFence.under(
            check,
            () ->
                Applier.of(cluster, ApplyOptions.builder().force(true).build())
                    .apply("shop", List.of(configMap("2"))));

    assertThat(report.results()).extracting(ApplyResult::outcome).containsExactly(Outcome.FAILED);
    assertThat(report.results().get(0).message()).contains("deleting to recreate");
    assertThat(liveValue()).isEqualTo("new-owner");
    assertThat(embedded.requests())
        .filteredOn(c -> c.verb() == Verb.CREATE && c.name().isEmpty())
        .isEmpty();
  }

  @Test
  void underAHeldClaimTheRecreationStillHappens() {
    Applier.of(cluster, ApplyOptions.ofDefaults()).apply("shop", List.of(configMap("1")));
    embedded.inject(Fault.status(422).on(Verb.APPLY).times(2));

    ApplyReport report =
        WriteFence.under(
            (method, path, key) -> {},
            () ->
                Applier.of(cluster, ApplyOptions.builder().force(true).build())
                    .apply("shop", List.of(configMap("2"))));

    assertThat(report.results())
        .extracting(ApplyResult::outcome)
        .containsExactly(Outcome.RECREATED);
    assertThat(liveValue()).isEqualTo("2");
  }
}
