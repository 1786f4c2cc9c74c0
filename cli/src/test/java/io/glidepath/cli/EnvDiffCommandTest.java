package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.cli.RenderCommandTest.Run;
import org.junit.jupiter.api.Test;

class EnvDiffCommandTest {
  private static Run envDiff(String valuesA, String valuesB) {
    return RenderCommandTest.run(
        "env-diff",
        RenderCommandTest.APP,
        "-f",
        "values.yaml",
        "--env-a",
        "staging",
        "--values-a",
        valuesA,
        "--env-b",
        "production",
        "--values-b",
        valuesB);
  }

  @Test
  void exitsZeroWhenBothEnvironmentsRenderTheSame() {
    Run run = envDiff("values-staging.yaml", "values-staging.yaml");

    assertThat(run.code()).as(run.out() + run.err()).isZero();
  }

  @Test
  void exitsOneWhenTheEnvironmentsDiffer() {
    Run run = envDiff("values-staging.yaml", "values-production.yaml");

    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).contains("replicas");
  }

  @Test
  void exitsTwoOnAMissingValueFile() {
    Run run = envDiff("values-staging.yaml", "values-nowhere.yaml");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: ").contains("values-nowhere.yaml");
  }
}
