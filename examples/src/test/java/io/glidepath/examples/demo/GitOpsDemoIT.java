package io.glidepath.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.testkit.ExternalTool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** README command 1, end to end at a fast time scale. */
class GitOpsDemoIT {

  @Test
  void healthyV2IsPromotedAndV3WithErrorsIsRolledBackWithANotification() {
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
  }
}
