package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.AnalysisPhase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {
  static final String SEED = Path.of("../analysis/src/test/resources/seed/rollout.yaml").toString();

  @Test
  void badInputExitsWithTwo(@TempDir Path dir) throws IOException {
    assertThat(
            RenderCommandTest.run("analyze", "--template", dir.resolve("missing.yaml").toString())
                .code())
        .isEqualTo(2);
    Path broken =
        Files.writeString(
            dir.resolve("t.yaml"),
            "apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: t}\nspec: {metrics: [{name: m, bogus: 1}]}\n");
    RenderCommandTest.Run run = RenderCommandTest.run("analyze", "--template", broken.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("spec.metrics[0].bogus").contains("unknown field");
    RenderCommandTest.Run noArg =
        RenderCommandTest.run("analyze", "--template", SEED, "--at", "1700000000");
    assertThat(noArg.code()).isEqualTo(2);
    assertThat(noArg.err()).contains("'service-name'");
    RenderCommandTest.Run badTime =
        RenderCommandTest.run(
            "analyze", "--template", SEED, "--arg", "service-name=x", "--at", "yesterday");
    assertThat(badTime.code()).isEqualTo(2);
    assertThat(badTime.err()).contains("--at must be an RFC 3339 time or Unix seconds");
  }

  @Test
  void timesAreRfc3339OrUnixSeconds() {
    assertThat(AnalyzeCommand.parseTime("2026-01-01T00:00:00Z"))
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(AnalyzeCommand.parseTime("2026-01-01T01:00:00+01:00"))
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(AnalyzeCommand.parseTime("1767225600"))
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void phasesMapToDocumentedExitCodes() {
    assertThat(AnalyzeCommand.exitCode(AnalysisPhase.SUCCESSFUL)).isZero();
    assertThat(AnalyzeCommand.exitCode(AnalysisPhase.FAILED)).isEqualTo(1);
    assertThat(AnalyzeCommand.exitCode(AnalysisPhase.INCONCLUSIVE)).isEqualTo(4);
    assertThat(AnalyzeCommand.exitCode(AnalysisPhase.ERROR)).isEqualTo(5);
  }
}
