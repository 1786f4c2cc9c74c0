package io.glidepath.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.testkit.ExternalTool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README command 1, end to end at a fast time scale. */
class GitOpsDemoIT {

  @Test
  void healthyV2IsPromotedAndV3WithErrorsIsRolledBackWithANotification() throws Exception {
    ExternalTool.require(ExternalTool.GIT);
    boolean prometheus = ExternalTool.PROMETHEUS.requiredUnderCi();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DemoOutcome outcome =
        GitOpsDemo.builder()
            .out(new PrintStream(bytes, true, StandardCharsets.UTF_8))
            .timeScale(40)
            .build()
            .run();
    String out = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(out);

    assertThat(outcome.realPrometheus()).isEqualTo(prometheus);
    assertThat(outcome.v2Promoted()).as(out).isTrue();
    assertThat(outcome.v3RolledBack()).as(out).isTrue();
    assertThat(outcome.notification())
        .hasValueSatisfying(
            n -> assertThat(n).contains("\"event\":\"ABORTED\"").contains("success-rate"));
    assertThat(outcome.selfHealReverted()).isTrue();
    assertThat(outcome.backfillBranch()).contains("hotfix/trade-service-replicas");
    assertThat(out).contains("backfill the emergency hotfix replicaCount=15");
    assertThat(outcome.exitCode()).isZero();
    assertThat(out)
        .contains("ci: deploy trade-service v2")
        .contains("weight  10%")
        .contains("weight  30%")
        .contains("weight  50%")
        .contains("weight 100%")
        .contains("Demo OK");
    // the chart's pre-upgrade migration hook ran in the sync's PreSync phase, before the Rollout
    // changed and the RolloutDriver started v2's ReplicaSet
    assertThat(out)
        .contains("PreSync wave 0 batch/Job:production/trade-service-migrate SYNCED")
        .contains("   pre-upgrade hook: migration Job trade-service-migrate (v2) completed at")
        .doesNotContain("NOT pre-upgrade hook");

    // the HTML report, at its default place in the demo's work directory
    assertThat(outcome.report()).isPresent();
    Path report = outcome.report().get();
    assertThat(report.getFileName()).hasToString(GitOpsDemo.REPORT_FILE_NAME);
    assertThat(report.getParent().getFileName().toString()).startsWith("glidepath-demo-");
    assertThat(out).contains("HTML report        " + report.toAbsolutePath());
    String html = Files.readString(report);
    for (String canary : List.of("v2", "v3")) {
      for (String metric : List.of("success-rate", "p99-latency")) {
        assertThat(html)
            .as("chart of %s %s", canary, metric)
            .containsPattern(
                "<svg [^>]*data-canary=\"" + canary + "\" data-metric=\"" + metric + "\"");
      }
    }
    // the seed's AnalysisTemplates' thresholds
    assertThat(html)
        .contains("data-threshold=\"success\" data-value=\"0.99\"")
        .contains("data-threshold=\"failure\" data-value=\"0.95\"")
        .contains("data-threshold=\"success\" data-value=\"0.5\"")
        .contains("data-threshold=\"failure\" data-value=\"1\"");
    // v2's promotion, v3's rollback with its notification, selfHeal and the backfill
    assertThat(html)
        .contains("data-kind=\"rollout promoted\"")
        .contains("data-kind=\"rollout aborted\"")
        .contains("class=\"marker aborted\"")
        .contains("notification received: ABORTED")
        .contains("data-kind=\"selfheal\"")
        .contains("backfill to branch <code>hotfix/trade-service-replicas</code>")
        .contains("ci: deploy trade-service v2")
        .contains("ci: deploy trade-service v3")
        .contains("id=\"sync-1\"")
        .doesNotContain("<script");
  }
}
