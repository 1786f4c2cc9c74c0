package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.testkit.metrics.Answer;
import io.glidepath.testkit.metrics.FakeMetricsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glidepath analyze} against what a template author or an argument can do to it: an argument
 * that rewrites a condition (spliced as Argo does, bound with {@code --bind-args}), and a metric
 * name pattern that would backtrack for minutes in a backtracking regex engine.
 */
class AnalyzeHostileInputIT {
  private static FakeMetricsServer server;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    server = FakeMetricsServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Path template(String name, String body) throws IOException {
    return Files.writeString(
        dir.resolve(name + ".yaml"), body.replace("ADDRESS", server.uri().toString()));
  }

  @Test
  void anArgumentSplicedIntoAConditionRewritesItUnlessArgumentsAreBound() throws IOException {
    Path template =
        template(
            "errors",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: errors}
            spec:
              args: [{name: threshold}]
              metrics:
              - name: error-rate
                consecutiveErrorLimit: 0
                successCondition: result[0] < {{args.threshold}}
                provider: {prometheus: {address: 'ADDRESS', query: errors}}
            """);
    // an error rate of 5 is above the threshold 2: only the injected "|| true" makes it pass
    server.prometheus().respond(Answer.values(5));
    AnalyzeProvidersIT.CliRun spliced =
        AnalyzeProvidersIT.analyze(
            Map.of(), "--template", template.toString(), "--arg", "threshold=2 || true");
    assertThat(spliced.code()).as(spliced.out() + spliced.err()).isEqualTo(ExitCodes.OK);
    assertThat(spliced.err()).contains("successCondition splices argument 'threshold'");

    server.prometheus().respond(Answer.values(5));
    AnalyzeProvidersIT.CliRun bound =
        AnalyzeProvidersIT.analyze(
            Map.of(),
            "--template",
            template.toString(),
            "--arg",
            "threshold=2 || true",
            "--bind-args");
    // the argument is one string value: comparing a number with it is an Error, never a pass
    assertThat(bound.code()).as(bound.out() + bound.err()).isNotEqualTo(ExitCodes.OK);
    assertThat(bound.err()).doesNotContain("warning:");

    server.prometheus().respond(Answer.values(1));
    AnalyzeProvidersIT.CliRun honest =
        AnalyzeProvidersIT.analyze(
            Map.of(), "--template", template.toString(), "--arg", "threshold=2", "--bind-args");
    assertThat(honest.code()).as(honest.out() + honest.err()).isEqualTo(ExitCodes.OK);
  }

  /** java.util.regex ran past 120 s on this pattern and name; RE2 answers at once. */
  @Test
  @Timeout(120)
  void aBacktrackingMetricNamePatternCannotStallAnalyze() throws IOException {
    Path template =
        template(
            "redos",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: redos}
            spec:
              dryRun: [{metricName: "(.*a){20}b"}]
              measurementRetention: [{metricName: "(.*a){20}b", limit: 2}]
              metrics:
              - name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
                successCondition: result[0] > 0
                provider: {prometheus: {address: 'ADDRESS', query: up}}
              - name: aaaaaaaaaaaaaaaaaaaab
                successCondition: result[0] > 0
                provider: {prometheus: {address: 'ADDRESS', query: up}}
            """);
    server.prometheus().respond(Answer.values(1));

    AnalyzeProvidersIT.CliRun run =
        AnalyzeProvidersIT.analyze(Map.of(), "--template", template.toString());

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
    // a rule must match some metric (Argo refuses one that matches none): it matches the second
    // name, and is tried against the first, the name a backtracking engine stalls on
    assertThat(run.out().lines().filter(l -> l.contains("[dry-run]")))
        .singleElement()
        .asString()
        .contains("aaaaaaaaaaaaaaaaaaaab");
    // the first name does not match: that metric counts (not dry-run)
    assertThat(run.out().lines().filter(l -> l.contains("a".repeat(40))))
        .isNotEmpty()
        .noneMatch(l -> l.contains("[dry-run]"));
  }
}
