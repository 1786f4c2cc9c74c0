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
    Resource live = Yaml.readResources(fixture).get(0);
    assertThat(live.kind().toLowerCase(Locale.ROOT)).isEqualTo(parts[0]);
    HealthAssessment health = ASSESSOR.explain(live);
    if (parts[1].equals("none")) {
      assertThat(health.health()).as(health.toString()).isEmpty();
      return;
    }
    HealthStatus expected = HealthStatus.valueOf(parts[1].toUpperCase(Locale.ROOT));
    assertThat(health.health()).as(health.toString()).isPresent();
    assertThat(health.health().get().status()).as(health.toString()).isEqualTo(expected);
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
  void applicationIsMissingOnlyWhenEveryResourceIsMissing() {
    Resource healthy =
        Yaml.readResources(FIXTURES.resolve("pod-healthy-running-ready.yaml")).get(0);
    Resource progressing =
        Yaml.readResources(FIXTURES.resolve("ingress-progressing-no-address.yaml")).get(0);
    Resource absent = healthy.edit(b -> b.withObjectProperty("metadata").put("name", "gone"));
    ApplicationHealth app =
        ASSESSOR.assess(ResourceSet.of(healthy, progressing), ResourceSet.of(healthy, progressing));
    assertThat(app.status()).isEqualTo(HealthStatus.PROGRESSING);
    ApplicationHealth someMissing =
        ASSESSOR.assess(
            ResourceSet.of(healthy, progressing, absent), ResourceSet.of(healthy, progressing));
    assertThat(someMissing.status()).isEqualTo(HealthStatus.PROGRESSING);
    assertThat(someMissing.resources().get(absent.key()).status()).isEqualTo(HealthStatus.MISSING);
    ApplicationHealth allMissing =
        ASSESSOR.assess(ResourceSet.of(healthy, progressing), ResourceSet.empty());
    assertThat(allMissing.status()).isEqualTo(HealthStatus.MISSING);
  }

  @Test
  void resourcesWithoutHealthAreLeftOutAndDoNotCount() {
    Resource config =
        Yaml.readResources(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n",
                "c.yaml")
            .get(0);
    Resource pod = Yaml.readResources(FIXTURES.resolve("pod-healthy-running-ready.yaml")).get(0);
    assertThat(ASSESSOR.assess(config)).isEmpty();
    assertThat(ASSESSOR.explain(config).origin()).isEqualTo(CheckOrigin.NONE);
    ApplicationHealth app = ASSESSOR.assess(ResourceSet.of(config, pod), ResourceSet.of(config));
    assertThat(app.resources()).containsOnlyKeys(pod.key());
    assertThat(app.status()).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void aMissingOrUnknownChildApplicationDoesNotCount() {
    Resource child =
        Yaml.readResources(
                "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: child}\n",
                "a.yaml")
            .get(0);
    Resource pod = Yaml.readResources(FIXTURES.resolve("pod-healthy-running-ready.yaml")).get(0);
    HealthAssessor unknownApps =
        HealthAssessor.builder()
            .check("argoproj.io", "Application", live -> Health.of(HealthStatus.UNKNOWN, "?"))
            .build();
    assertThat(unknownApps.assess(ResourceSet.of(child, pod), ResourceSet.of(child, pod)).status())
        .isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void givenChecksReplaceBuiltInOnesAndWildcardsMatchGroups() {
    Resource cert =
        Yaml.readResources(
                "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: tls}\nstatus: {ready: false}\n",
                "c.yaml")
            .get(0);
    assertThat(ASSESSOR.assess(cert))
        .contains(Health.of(HealthStatus.PROGRESSING, "Waiting for certificate"));
    HealthAssessor custom =
        HealthAssessor.builder()
            .check("cert-manager.io", "*", live -> Health.of(HealthStatus.SUSPENDED, "wild"))
            .check(
                "cert-manager.io",
                "Certificate",
                live ->
                    live.at("/status/ready").asBoolean(false)
                        ? Health.healthy()
                        : Health.of(HealthStatus.PROGRESSING, "not issued"))
            .override("apps", "Deployment", live -> Health.of(HealthStatus.UNKNOWN, "custom"))
            .build();
    assertThat(custom.assess(cert)).contains(Health.of(HealthStatus.PROGRESSING, "not issued"));
    assertThat(custom.explain(cert).origin())
        .isEqualTo(new CheckOrigin(CheckOrigin.Type.JAVA, "cert-manager.io/Certificate"));
    Resource issuer = cert.edit(b -> b.put("kind", "Issuer"));
    assertThat(custom.assess(issuer)).contains(Health.of(HealthStatus.SUSPENDED, "wild"));
    Resource deployment =
        Yaml.readResources(FIXTURES.resolve("deployment-healthy-rolled-out.yaml")).get(0);
    assertThat(custom.assess(deployment).orElseThrow().status()).isEqualTo(HealthStatus.UNKNOWN);
  }

  @Test
  void aThrowingCheckGivesUnknownWithItsMessage() {
    HealthAssessor broken =
        HealthAssessor.builder()
            .check(
                "",
                "Pod",
                live -> {
                  throw new IllegalStateException("boom");
                })
            .build();
    Resource pod = Yaml.readResources(FIXTURES.resolve("pod-healthy-running-ready.yaml")).get(0);
    assertThat(broken.assess(pod)).contains(Health.of(HealthStatus.UNKNOWN, "boom"));
  }

  @Test
  void checkForTellsWhichKindsHaveACheck() {
    assertThat(ASSESSOR.checkFor("apps", "Deployment"))
        .contains(new CheckOrigin(CheckOrigin.Type.BUILT_IN, "apps/Deployment"));
    assertThat(ASSESSOR.checkFor("pkg.crossplane.io", "Provider"))
        .contains(new CheckOrigin(CheckOrigin.Type.BUILT_IN, "*.crossplane.io/*"));
    assertThat(ASSESSOR.hasCheck("", "ConfigMap")).isFalse();
    assertThat(ASSESSOR.hasCheck("", "Namespace")).isFalse();
  }

  @Test
  void aScriptWithoutAnEngineIsAClearError() {
    HealthScript script =
        new HealthScript(
            "resource.customizations.health.example.com_Thing",
            "example.com",
            "Thing",
            "return {status='Healthy'}",
            false,
            io.glidepath.core.Origin.of("argocd-cm.yaml"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HealthAssessor.builder().script(script).build())
        .isInstanceOf(HealthScriptException.class)
        .hasMessageContaining("resource.customizations.health.example.com_Thing")
        .hasMessageContaining("glidepath-health-lua");
  }
}
