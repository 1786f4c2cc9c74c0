package io.glidepath.kube.apply;

import static io.glidepath.kube.Fixtures.configMap;
import static io.glidepath.kube.Fixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.TrackingId;
import io.glidepath.kube.apply.ApplyResult.Outcome;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Applier's dry run and writes run many requests at once; the results must not show it. */
class ConcurrentApplyIT {
  private static final RequestRetry FAST =
      new RequestRetry(5, Duration.ofMillis(5), 2.0, Duration.ofMillis(50));

  private final EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
  private final KubeCluster cluster = KubeCluster.connect(embedded.config(), FAST);

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static List<Resource> plan(int configMaps, int deployments, String value) {
    List<Resource> plan = new ArrayList<>();
    for (int i = 0; i < configMaps; i++) {
      plan.add(configMap(null, "cm-" + i, Map.of("a", value)));
    }
    for (int i = 0; i < deployments; i++) {
      plan.add(deployment("web-" + i, "web:" + value, 2));
    }
    return plan;
  }

  @Test
  void aConcurrentSyncDryRunsTheWholePlanFirstAndEveryObjectGetsItsOwnVersionAndOwnership() {
    List<Resource> plan = plan(80, 40, "1");

    ApplyReport report =
        Applier.of(cluster, ApplyOptions.builder().dryRunFirst(true).parallelism(16).build())
            .apply("shop", plan);

    assertThat(report.succeeded()).as(report.toString()).isTrue();
    assertThat(report.results()).extracting(ApplyResult::outcome).containsOnly(Outcome.CREATED);
    assertThat(report.results())
        .extracting(r -> r.key().name())
        .containsExactlyElementsOf(plan.stream().map(Resource::name).toList());
    List<RecordedCall> applies =
        embedded.requests().stream().filter(c -> c.verb() == Verb.APPLY).toList();
    assertThat(applies).hasSize(2 * plan.size());
    assertThat(applies.subList(0, plan.size())).allMatch(RecordedCall::dryRun);
    assertThat(applies.subList(plan.size(), applies.size())).noneMatch(RecordedCall::dryRun);
    assertThat(embedded.writes()).hasSize(plan.size());

    Set<String> versions = new HashSet<>();
    for (Resource r : plan) {
      JsonNode live =
          cluster
              .get(new ResourceKey(r.group(), r.kind(), "default", r.name()))
              .orElseThrow()
              .body();
      versions.add(live.at("/metadata/resourceVersion").asString());
      JsonNode managed = live.at("/metadata/managedFields");
      assertThat(managed.size()).as(r.name()).isEqualTo(1);
      assertThat(managed.get(0).path("manager").asString()).isEqualTo("glidepath");
      assertThat(managed.get(0).path("operation").asString()).isEqualTo("Apply");
      assertThat(live.at("/metadata/annotations").path(TrackingId.ANNOTATION).asString())
          .startsWith("shop:");
    }
    assertThat(versions).hasSize(plan.size());
  }

  @Test
  void concurrentAppliesOverAnotherManagersFieldsAllConflictInTheDryRunAndWriteNothing() {
    Applier.of(cluster, ApplyOptions.builder().fieldManager("other").parallelism(16).build())
        .apply("shop", plan(40, 0, "1"));
    embedded.clearRequests();

    ApplyReport report =
        Applier.of(cluster, ApplyOptions.builder().dryRunFirst(true).parallelism(16).build())
            .apply("shop", plan(40, 0, "2"));

    assertThat(report.dryRunFailed()).isTrue();
    assertThat(report.failures()).hasSize(40);
    assertThat(report.failures())
        .allSatisfy(f -> assertThat(f.message()).contains("dry run", "conflict", "other"));
    assertThat(embedded.writes()).isEmpty();
    for (int i = 0; i < 40; i++) {
      assertThat(
              cluster
                  .get(new ResourceKey("", "ConfigMap", "default", "cm-" + i))
                  .orElseThrow()
                  .body()
                  .at("/data/a")
                  .asString())
          .isEqualTo("1");
    }
  }

  @Test
  void aConcurrentResyncOfAnUnchangedPlanChangesNoObject() {
    List<Resource> plan = plan(60, 30, "1");
    Applier applier = Applier.of(cluster, ApplyOptions.builder().parallelism(16).build());
    applier.apply("shop", plan);
    List<String> before = versions(plan);

    ApplyReport again = applier.apply("shop", plan);

    assertThat(again.results()).extracting(ApplyResult::outcome).containsOnly(Outcome.UNCHANGED);
    assertThat(versions(plan)).isEqualTo(before);
  }

  private List<String> versions(List<Resource> plan) {
    return plan.stream()
        .map(
            r ->
                cluster
                    .get(new ResourceKey(r.group(), r.kind(), "default", r.name()))
                    .orElseThrow()
                    .body()
                    .at("/metadata/resourceVersion")
                    .asString())
        .toList();
  }
}
