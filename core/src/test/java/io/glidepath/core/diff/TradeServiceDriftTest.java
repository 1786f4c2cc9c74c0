package io.glidepath.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.StringNode;

class TradeServiceDriftTest {
  private static final Path DIR = Path.of("src/test/resources/diff/trade-service");
  private static final ResourceKey ROLLOUT =
      new ResourceKey("argoproj.io", "Rollout", "production", "trade-service");
  private static final ResourceKey SECRET =
      new ResourceKey("", "Secret", "production", "trade-service-db");

  private final ResourceSet desired =
      ResourceSet.of(Yaml.readResources(DIR.resolve("desired.yaml")));
  private final ResourceSet live = ResourceSet.of(Yaml.readResources(DIR.resolve("live.yaml")));
  private final DriftReport report =
      DriftDetector.of(DiffOptions.ofDefaults()).detect(desired, live);

  @Test
  void reportsExactlyTheRealDrift() {
    Map<String, DriftStatus> statuses =
        report.resources().stream()
            .collect(Collectors.toMap(d -> d.key().toString(), ResourceDrift::status));
    assertThat(statuses)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Service:production/trade-service-stable", DriftStatus.SYNCED,
                "Service:production/trade-service-canary", DriftStatus.SYNCED,
                "Secret:production/trade-service-db", DriftStatus.MODIFIED,
                "argoproj.io/Rollout:production/trade-service", DriftStatus.MODIFIED,
                "policy/PodDisruptionBudget:production/trade-service", DriftStatus.SYNCED,
                "autoscaling/HorizontalPodAutoscaler:production/trade-service", DriftStatus.SYNCED,
                "ConfigMap:production/trade-service-legacy-flags", DriftStatus.EXTRANEOUS));
    assertThat(report.summary()).isEqualTo(new DriftReport.Summary(4, 2, 0, 1));
  }

  @Test
  void rolloutDriftIsTheHandEditedImageNotTheHpaReplicas() {
    ResourceDrift rollout = report.get(ROLLOUT).orElseThrow();
    assertThat(rollout.patch())
        .containsExactly(
            PatchOperation.replace(
                "/spec/template/spec/containers/0/image",
                StringNode.valueOf("registry.example.com/org/trade-service:v1.4.2")));
    assertThat(rollout.unifiedDiff())
        .contains("--- live/argoproj.io.v1alpha1.Rollout.production.trade-service")
        .contains("-        image: registry.example.com/org/trade-service:test-20261120")
        .contains("+        image: registry.example.com/org/trade-service:v1.4.2")
        .doesNotContain("replicas: 14")
        .doesNotContain("imagePullPolicy");
  }

  @Test
  void secretDriftShowsWhichKeyChangedWithoutItsValues() {
    ResourceDrift secret = report.get(SECRET).orElseThrow();
    assertThat(secret.patch())
        .containsExactly(PatchOperation.replace("/data/password", StringNode.valueOf("++++++++")));
    String everything =
        secret.unifiedDiff() + secret.patch() + report + report.unifiedDiff() + secret;
    for (String value :
        new String[] {
          "Kx9-rotated-2026",
          "Hunter2-old-pass",
          "trade_rw",
          "dHJhZGVfcnc=",
          "SHVudGVyMi1vbGQtcGFzcw=="
        }) {
      assertThat(everything).doesNotContain(value);
    }
    assertThat(secret.unifiedDiff())
        .contains("-  password: ++++++++++")
        .contains("+  password: ++++++++");
  }

  @Test
  void extraneousResourceIsReportedAsPruneCandidate() {
    ResourceDrift legacy =
        report
            .get(new ResourceKey("", "ConfigMap", "production", "trade-service-legacy-flags"))
            .orElseThrow();
    assertThat(legacy.desired()).isEmpty();
    assertThat(legacy.unifiedDiff()).contains("-  FEATURE_OLD_MATCHER: ");
  }

  @Test
  void syncedAfterGitCatchesUpWithTheCluster() {
    Resource liveRollout = live.get(ROLLOUT).orElseThrow();
    String liveImage = liveRollout.at("/spec/template/spec/containers/0/image").stringValue();
    ResourceSet fixed =
        desired.map(
            r ->
                r.key().equals(ROLLOUT)
                    ? r.edit(
                        b ->
                            ((tools.jackson.databind.node.ObjectNode)
                                    b.at("/spec/template/spec/containers/0"))
                                .put("image", liveImage))
                    : r);
    DriftReport again = DriftDetector.of(DiffOptions.ofDefaults()).detect(fixed, live);
    assertThat(again.get(ROLLOUT).orElseThrow().status()).isEqualTo(DriftStatus.SYNCED);
  }
}
