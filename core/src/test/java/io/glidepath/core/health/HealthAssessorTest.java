package io.glidepath.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HealthAssessorTest {
  private static final Path FIXTURES = Path.of("src/test/resources/health");
  private static final HealthAssessor ASSESSOR = HealthAssessor.ofDefaults();

  /** Fixture files are named {@code <kind>-<expected status>-<scenario>.yaml}. */
  static Stream<Path> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(FIXTURES)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void eachFixtureHasTheHealthItsNameStates(Path fixture) {
    String[] parts = fixture.getFileName().toString().split("-");
    HealthStatus expected = HealthStatus.valueOf(parts[1].toUpperCase(Locale.ROOT));
    Resource live = Yaml.readResources(fixture).get(0);
    assertThat(live.kind().toLowerCase(Locale.ROOT)).isEqualTo(parts[0]);
    Health health = ASSESSOR.assess(live);
    assertThat(health.status()).as(health.toString()).isEqualTo(expected);
    if (expected != HealthStatus.HEALTHY) {
      assertThat(health.message()).isNotBlank();
    }
  }

  @Test
  void everyBuiltInKindHasFixtures() throws IOException {
    List<String> kinds =
        fixtures().map(f -> f.getFileName().toString().split("-")[0]).distinct().toList();
    assertThat(kinds)
        .containsExactlyInAnyOrder(
            "deployment",
            "statefulset",
            "daemonset",
            "replicaset",
            "pod",
            "service",
            "ingress",
            "persistentvolumeclaim",
            "job",
            "cronjob",
            "horizontalpodautoscaler",
            "poddisruptionbudget",
            "namespace",
            "rollout");
  }

  @Test
  void statusesAreOrderedBySeverity() {
    assertThat(HealthStatus.DEGRADED.isWorseThan(HealthStatus.PROGRESSING)).isTrue();
    assertThat(HealthStatus.SUSPENDED.isWorseThan(HealthStatus.HEALTHY)).isTrue();
    assertThat(HealthStatus.MISSING.isWorseThan(HealthStatus.PROGRESSING)).isTrue();
    assertThat(HealthStatus.UNKNOWN.isWorseThan(HealthStatus.DEGRADED)).isTrue();
    assertThat(HealthStatus.HEALTHY.isWorseThan(HealthStatus.HEALTHY)).isFalse();
    assertThat(HealthStatus.worst(List.of())).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void applicationHealthIsTheWorstAndMissingCounts() {
    Resource healthy =
        Yaml.readResources(FIXTURES.resolve("pod-healthy-running-ready.yaml")).get(0);
    Resource progressing =
        Yaml.readResources(FIXTURES.resolve("ingress-progressing-no-address.yaml")).get(0);
    Resource absent = healthy.edit(b -> b.withObjectProperty("metadata").put("name", "gone"));
    ApplicationHealth app =
        ASSESSOR.assess(ResourceSet.of(healthy, progressing), ResourceSet.of(healthy, progressing));
    assertThat(app.status()).isEqualTo(HealthStatus.PROGRESSING);
    ApplicationHealth withMissing =
        ASSESSOR.assess(
            ResourceSet.of(healthy, progressing, absent), ResourceSet.of(healthy, progressing));
    assertThat(withMissing.status()).isEqualTo(HealthStatus.MISSING);
    assertThat(withMissing.resources().get(absent.key()).status()).isEqualTo(HealthStatus.MISSING);
  }

  @Test
  void overridesReplaceTheCheckForTheirGroupAndKind() {
    Resource cert =
        Yaml.readResources(
                "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: tls}\nstatus: {ready: false}\n",
                "c.yaml")
            .get(0);
    assertThat(ASSESSOR.assess(cert).status()).isEqualTo(HealthStatus.HEALTHY);
    HealthAssessor custom =
        HealthAssessor.builder()
            .override(
                "cert-manager.io",
                "Certificate",
                live ->
                    live.at("/status/ready").asBoolean(false)
                        ? Health.healthy()
                        : Health.of(HealthStatus.PROGRESSING, "not issued"))
            .override("apps", "Deployment", live -> Health.of(HealthStatus.UNKNOWN, "custom"))
            .build();
    assertThat(custom.assess(cert)).isEqualTo(Health.of(HealthStatus.PROGRESSING, "not issued"));
    Resource deployment =
        Yaml.readResources(FIXTURES.resolve("deployment-healthy-rolled-out.yaml")).get(0);
    assertThat(custom.assess(deployment).status()).isEqualTo(HealthStatus.UNKNOWN);
  }

  @Test
  void aThrowingCheckGivesUnknownNotAnException() {
    HealthAssessor broken =
        HealthAssessor.builder()
            .override(
                "",
                "Pod",
                live -> {
                  throw new IllegalStateException("boom");
                })
            .build();
    Resource pod = Yaml.readResources(FIXTURES.resolve("pod-healthy-running-ready.yaml")).get(0);
    assertThat(broken.assess(pod).status()).isEqualTo(HealthStatus.UNKNOWN);
  }
}
