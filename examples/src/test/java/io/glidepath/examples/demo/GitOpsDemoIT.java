package io.glidepath.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.testkit.ExternalTool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README command 1, end to end at a fast time scale. */
class GitOpsDemoIT {

  @Test
  void healthyV2IsPromotedAndV3WithErrorsIsRolledBackWithANotification(@TempDir Path temp)
      throws Exception {
    ExternalTool.require(ExternalTool.GIT);
    boolean prometheus = ExternalTool.PROMETHEUS.requiredUnderCi();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DemoOutcome outcome =
        GitOpsDemo.builder()
            .tempRoot(temp)
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
        .contains("     hook (PreSync) batch/Job:production/trade-service-migrate")
        .contains("   pre-upgrade hook: migration Job trade-service-migrate (v2) completed at")
        .doesNotContain("NOT pre-upgrade hook");
    // after the promotion the new stable is named, not the one before it
    assertThat(out)
        .contains("promoted: v2 is the new stable and serves 100% of the traffic")
        .doesNotContain("traffic: latest 100% (stable), v2 0% (canary)");
    // each sync prints what it changed and the hook it ran: all nine resources and the migration
    // hook once, then only the Rollout and the hook (every sync runs the PreSync hook, as Argo
    // CD's)
    assertThat(out)
        .contains("sync: 10 changed")
        .contains("sync: 2 changed, 8 already as in Git (applied, no change)")
        .contains("updated      argoproj.io/Rollout:production/trade-service")
        .doesNotContain("Sync wave 0 Service:production/trade-service-canary SYNCED");
    // the orphan count is explained the first time it shows
    assertThat(out).contains("(orphaned resources: objects in namespace production");
    // the AMBIGUOUS mapping is explained before replicaCount is written
    int ambiguous = out.indexOf("DriftBackfill: AMBIGUOUS spec.replicas");
    int explained = out.indexOf("It does not guess");
    int written = out.indexOf("backfill the emergency hotfix replicaCount=15");
    assertThat(ambiguous).isNotNegative();
    assertThat(explained).isGreaterThan(ambiguous);
    assertThat(written).isGreaterThan(explained);
    // the run's temporary directory (Git repositories, caches, the copy of the example) is gone
    try (Stream<Path> left = Files.list(temp)) {
      assertThat(left).isEmpty();
    }

    // the HTML report, at its default place in the temporary directory
    assertThat(outcome.report()).isPresent();
    Path report = outcome.report().get();
    assertThat(report.getFileName().toString())
        .startsWith(GitOpsDemo.REPORT_FILE_PREFIX)
        .endsWith(".html");
    assertThat(report.toAbsolutePath().getParent())
        .isEqualTo(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
    assertThat(out).contains("HTML report        " + report.toAbsolutePath());
    String html = Files.readString(report);
    Files.delete(report);
    for (String canary : List.of("v2", "v3")) {
      for (String metric : List.of("success-rate", "p99-latency")) {
        assertThat(html)
            .as("chart of %s %s", canary, metric)
            .containsPattern(
                "<svg [^>]*data-canary=\"" + canary + "\" data-metric=\"" + metric + "\"");
      }
    }
    // charts as wide as the page, with units on both axes and a legend for every line
    assertThat(html)
        .contains("width=\"100%\"")
        .contains("data-unit=\"seconds\"")
        .contains("p99-latency (seconds)")
        .contains("success-rate (ratio, 1 = 100%)")
        .contains("in the example&#39;s time (demo seconds \u00d7 40)")
        .contains("data-legend=\"series\"")
        .contains("data-legend=\"success\"")
        .contains("data-legend=\"failure\"")
        .contains("data-legend=\"weight\"");
    // one-line headings, the reason below; routine reconciles counted, emoji rendered
    assertThat(html)
        .containsPattern(
            "<h3>v3: <span class=\"bad\">rolled back at step \\d+ after [0-9.]+ s \\([^)]*in the example\\)</span></h3>\n<p class=\"reason\">")
        .contains("data-kind=\"reconciles\"")
        .doesNotContain(":rotating_light:")
        .contains("&#x1F6A8;");
    // the AnalysisTemplates' thresholds
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
