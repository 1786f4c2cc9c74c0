package io.glidepath.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import org.junit.jupiter.api.Test;

/** Health of objects being deleted: which check runs and what Progressing message it gives. */
class TerminatingHealthTest {
  private static final String DELETING = "  deletionTimestamp: '2026-03-01T10:00:00Z'\n";

  private static Resource live(String yaml) {
    return Yaml.readResources(yaml, "live.yaml").get(0);
  }

  private static HealthAssessment defaults(String yaml) {
    return HealthAssessor.ofDefaults().explain(live(yaml));
  }

  private static Health progressing(String message) {
    return Health.of(HealthStatus.PROGRESSING, message);
  }

  @Test
  void argoGoCheckedKindsAndKindsWithoutACheckArePendingDeletion() {
    HealthAssessment deployment =
        defaults(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
                + DELETING
                + "  finalizers: [example.com/keep]\nspec: {replicas: 1}\n"
                + "status: {replicas: 1, updatedReplicas: 1, availableReplicas: 1}\n");
    assertThat(deployment.health()).contains(progressing("Pending deletion"));
    assertThat(deployment.origin().toString()).isEqualTo("built-in pending-deletion");
    assertThat(
            defaults("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n" + DELETING).health())
        .contains(progressing("Pending deletion"));
    // an object the generic check would call Healthy
    assertThat(
            defaults(
                    "apiVersion: widgets.example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"
                        + DELETING
                        + "status:\n  conditions: [{type: Ready, status: 'True'}]\n")
                .health())
        .contains(progressing("Pending deletion"));
  }

  @Test
  void kindsArgoChecksWithBundledScriptsNameTheFinalizersStillPending() {
    String certificate =
        "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: tls\n" + DELETING;
    String ready = "status:\n  conditions: [{type: Ready, status: 'True', message: issued}]\n";
    HealthAssessment blocked =
        defaults(
            certificate + "  finalizers: [acme.example/cleanup, other.example/wait]\n" + ready);
    assertThat(blocked.health())
        .contains(
            progressing(
                "Pending deletion; blocked by finalizers: acme.example/cleanup, other.example/wait"));
    assertThat(blocked.origin().toString()).isEqualTo("built-in cert-manager.io/Certificate");
    assertThat(defaults(certificate + ready).health()).contains(progressing("Pending deletion"));
    assertThat(
            defaults(
                    "apiVersion: s3.aws.upbound.io/v1beta1\nkind: Bucket\nmetadata:\n  name: b\n"
                        + DELETING
                        + "  finalizers: [finalizer.managedresource.crossplane.io]\n")
                .health())
        .contains(
            progressing(
                "Pending deletion; blocked by finalizers: finalizer.managedresource.crossplane.io"));
  }

  @Test
  void aGivenCheckAnswersTheDeletionWhenItSaysProgressingWithAMessage() {
    HealthAssessor assessor =
        HealthAssessor.builder()
            .check(
                "backup.example.com",
                "Backup",
                live -> {
                  String phase = live.at("/status/phase").asString("");
                  return switch (phase) {
                    case "Uploading" -> progressing("waiting for the upload to finish");
                    case "Blank" -> progressing(" ");
                    case "Broken" -> throw new IllegalStateException("no status.phase");
                    case "Failed" -> Health.of(HealthStatus.DEGRADED, "upload failed");
                    default -> Health.healthy();
                  };
                })
            .build();
    String backup =
        "apiVersion: backup.example.com/v1\nkind: Backup\nmetadata:\n  name: nightly\n" + DELETING;
    HealthAssessment uploading = assessor.explain(live(backup + "status: {phase: Uploading}\n"));
    assertThat(uploading.health()).contains(progressing("waiting for the upload to finish"));
    assertThat(uploading.origin().toString()).isEqualTo("java backup.example.com/Backup");
    // a check without a deletion branch: its answer is about the live object, not its deletion
    assertThat(assessor.assess(live(backup + "status: {phase: Done}\n")))
        .contains(progressing("Pending deletion"));
    assertThat(assessor.assess(live(backup + "status: {phase: Failed}\n")))
        .contains(progressing("Pending deletion"));
    assertThat(assessor.assess(live(backup + "status: {phase: Blank}\n")))
        .contains(progressing("Pending deletion"));
    // a failing check stays visible
    assertThat(assessor.assess(live(backup + "status: {phase: Broken}\n")))
        .contains(Health.of(HealthStatus.UNKNOWN, "no status.phase"));
    // not terminating: the check's own answer
    assertThat(
            assessor.assess(
                live(
                    "apiVersion: backup.example.com/v1\nkind: Backup\nmetadata: {name: weekly}\n"
                        + "status: {phase: Failed}\n")))
        .contains(Health.of(HealthStatus.DEGRADED, "upload failed"));
  }

  @Test
  void aGivenCheckForABuiltInKindRunsForTerminatingObjectsToo() {
    HealthAssessor assessor =
        HealthAssessor.builder()
            .check("apps", "Deployment", live -> progressing("draining " + live.name()))
            .build();
    assertThat(
            assessor.assess(
                live("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n" + DELETING)))
        .contains(progressing("draining web"));
  }

  @Test
  void theHookFinalizerLetsTheCheckJudgeAsUsual() {
    String hook =
        "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: tls\n"
            + DELETING
            + "  finalizers: [argocd.argoproj.io/hook-finalizer]\n"
            + "status:\n  conditions: [{type: Ready, status: 'False', message: no issuer}]\n";
    assertThat(defaults(hook).health()).contains(Health.of(HealthStatus.DEGRADED, "no issuer"));
  }
}
