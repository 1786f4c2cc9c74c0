package io.glidepath.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConventionAndCustomResourceChecksTest {
  private static final HealthAssessor ASSESSOR = HealthAssessor.ofDefaults();

  private static Resource widget(String status) {
    return Yaml.readResources(
            "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, generation: 4}\n"
                + status,
            "w.yaml")
        .get(0);
  }

  @Test
  void anObjectFollowingNoConventionHasNoHealth() {
    assertThat(ASSESSOR.assess(widget("spec: {size: 3}\n"))).isEmpty();
    assertThat(ASSESSOR.assess(widget("status: {phase: Running}\n"))).isEmpty();
    assertThat(ASSESSOR.explain(widget("status: {phase: Running}\n")).origin())
        .isEqualTo(CheckOrigin.NONE);
  }

  @Test
  void theGenericCheckReadsObservedGenerationAndConditions() {
    assertThat(ASSESSOR.assess(widget("status: {observedGeneration: 3}\n")))
        .contains(
            Health.of(
                HealthStatus.PROGRESSING,
                "Waiting for the controller to observe generation 4 (observed 3)"));
    assertThat(ASSESSOR.assess(widget("status: {observedGeneration: 4}\n")))
        .contains(Health.healthy());
    assertThat(
            ASSESSOR.assess(
                widget(
                    "status:\n  observedGeneration: 4\n  conditions:\n  - {type: Stalled, status: 'True', reason: QuotaExceeded}\n  - {type: Ready, status: 'True'}\n")))
        .contains(Health.of(HealthStatus.DEGRADED, "QuotaExceeded"));
    assertThat(
            ASSESSOR.assess(
                widget(
                    "status:\n  conditions:\n  - {type: Reconciling, status: 'True', message: applying}\n")))
        .contains(Health.of(HealthStatus.PROGRESSING, "applying"));
    assertThat(
            ASSESSOR.assess(
                widget(
                    "status:\n  conditions:\n  - {type: Ready, status: 'False', message: broken}\n")))
        .contains(Health.of(HealthStatus.DEGRADED, "broken"));
    assertThat(
            ASSESSOR.assess(
                widget(
                    "status:\n  conditions:\n  - {type: Available, status: Unknown, reason: Starting}\n")))
        .contains(Health.of(HealthStatus.PROGRESSING, "Starting"));
    assertThat(ASSESSOR.explain(widget("status: {observedGeneration: 4}\n")).origin())
        .isEqualTo(new CheckOrigin(CheckOrigin.Type.GENERIC, "conventions"));
    HealthAssessor argoOnly = HealthAssessor.builder().conventions(false).build();
    assertThat(argoOnly.assess(widget("status: {observedGeneration: 4}\n"))).isEmpty();
  }

  private static Optional<Health> of(String yaml) {
    return ASSESSOR.assess(Yaml.readResources(yaml, "cr.yaml").get(0));
  }

  @Test
  void commonCustomResourcesHaveJavaChecksAnsweringAsArgoCdsScripts() {
    assertThat(
            of(
                "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: le}\nstatus:\n  conditions:\n  - {type: Ready, status: 'False', message: ACME account not registered}\n"))
        .contains(Health.of(HealthStatus.DEGRADED, "ACME account not registered"));
    assertThat(
            of(
                "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: podinfo}\nspec: {suspend: true}\n"))
        .contains(Health.of(HealthStatus.SUSPENDED, "HelmRelease is suspended"));
    assertThat(
            of(
                "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: repo}\nstatus:\n  conditions:\n  - {type: Ready, status: 'False', reason: GitOperationFailed}\n"))
        .contains(Health.of(HealthStatus.DEGRADED, "GitOperationFailed"));
    assertThat(
            of(
                "apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: OCIRepository\nmetadata: {name: repo}\nstatus:\n  conditions:\n  - {type: Reconciling, status: 'True'}\n  - {type: Ready, status: Unknown, reason: Progressing}\n"))
        .contains(Health.of(HealthStatus.PROGRESSING, "Progressing"));
    assertThat(
            of(
                "apiVersion: pkg.crossplane.io/v1\nkind: Provider\nmetadata: {name: p}\nstatus:\n  conditions:\n  - {type: Healthy, status: 'True'}\n"))
        .contains(Health.of(HealthStatus.HEALTHY, "Resource is up-to-date."));
    assertThat(
            of(
                "apiVersion: rds.aws.upbound.io/v1beta1\nkind: Instance\nmetadata: {name: db}\nstatus:\n  conditions:\n  - {type: Synced, status: 'False', message: 'cannot create'}\n"))
        .contains(Health.of(HealthStatus.DEGRADED, "cannot create"));
    assertThat(
            of(
                "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: main}\nstatus:\n  conditions:\n  - {type: Available, status: 'True'}\n"))
        .contains(Health.of(HealthStatus.HEALTHY, "All instances are available"));
    assertThat(
            of(
                "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: s}\nstatus:\n  conditions:\n  - {type: Ready, status: 'True', message: ready}\n  - {type: Paused, status: 'True', message: paused}\n"))
        .contains(Health.of(HealthStatus.SUSPENDED, "paused"));
    assertThat(of("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: s}\n"))
        .contains(Health.of(HealthStatus.PROGRESSING, "Waiting for Sealed Secret to be decrypted"));
    assertThat(
            of(
                "apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata: {name: k}\nstatus:\n  conditions:\n  - {type: NotReady, status: 'True', reason: Creating}\n"))
        .contains(Health.of(HealthStatus.PROGRESSING, "Waiting for Kafka Cluster"));
    assertThat(
            of(
                "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: e}\nstatus:\n  conditions:\n  - {type: Ready, status: 'True', message: Secret was synced}\n"))
        .contains(Health.of(HealthStatus.HEALTHY, "Secret was synced"));
    assertThat(
            of(
                "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: k}\nstatus:\n  conditions:\n  - {type: Ready, status: 'False', reason: RevisionFailed}\n"))
        .contains(Health.of(HealthStatus.DEGRADED, "Ready is False, since RevisionFailed.\n"));
  }

  @Test
  void aLibrarysProviderIsFoundThroughServiceLoader() {
    // src/test/resources/META-INF/services lists FakeBackupChecks
    Resource backup =
        Yaml.readResources(
                "apiVersion: backup.example.com/v1\nkind: Backup\nmetadata: {name: nightly}\n",
                "b.yaml")
            .get(0);
    assertThat(ASSESSOR.explain(backup))
        .isEqualTo(
            HealthAssessment.of(
                Health.of(HealthStatus.HEALTHY, "backed up"),
                new CheckOrigin(CheckOrigin.Type.JAVA, "example backups")));
    assertThat(HealthAssessor.builder().discoverProviders(false).build().assess(backup)).isEmpty();
  }

  /** A provider a library would ship, listed in this module's test META-INF/services. */
  public static final class FakeBackupChecks implements HealthCheckProvider {
    @Override
    public List<Registration> checks() {
      return List.of(
          new Registration(
              "backup.example.com",
              "Backup",
              "example backups",
              live -> Health.of(HealthStatus.HEALTHY, "backed up")));
    }
  }
}
