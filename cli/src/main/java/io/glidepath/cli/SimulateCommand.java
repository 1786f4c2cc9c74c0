package io.glidepath.cli;

import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.simulate.RolloutSimulator;
import io.glidepath.rollout.simulate.Scenario;
import io.glidepath.rollout.simulate.SimulationResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glidepath simulate}: runs a canary Rollout and its AnalysisTemplates on virtual time
 * against recorded metrics or a built-in scenario.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {"Simulate a canary rollout offline, on virtual time, with no cluster."})
final class SimulateCommand implements Callable<Integer>, ExitCodes {
  enum Output {
    text,
    json
  }

  static final class Metrics {
    @Option(
        names = "--metrics",
        paramLabel = "FILE",
        description = "Recorded measurements (.json or .csv, as RecordedProvider reads them).")
    Path metrics;

    @Option(
        names = "--scenario",
        paramLabel = "NAME",
        description =
            "A built-in scenario: healthy, errors-8pct, errors-3pct, slow-p99, flapping, no-data.")
    String scenario;
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--rollout",
      required = true,
      paramLabel = "FILE",
      description =
          "The Argo Rollout YAML (canary or blue-green); AnalysisTemplates in it are used.")
  Path rollout;

  @Option(
      names = "--templates",
      paramLabel = "FILE",
      description = "More AnalysisTemplate YAML files (repeatable).")
  List<Path> templates = new ArrayList<>();

  @ArgGroup(exclusive = true, multiplicity = "1")
  Metrics metrics;

  @Option(names = "--report", paramLabel = "FILE", description = "Write an HTML report here.")
  Path report;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text (default) or json.")
  Output output = Output.text;

  @Option(
      names = "--auto-promote",
      description = "Promote indefinite pauses at once instead of stopping there.")
  boolean autoPromote;

  @Override
  public java.util.Map<Integer, String> outcomes() {
    java.util.Map<Integer, String> m = new java.util.TreeMap<>();
    m.put(SimulationResult.Outcome.PROMOTED.exitCode(), "promoted");
    m.put(SimulationResult.Outcome.ROLLED_BACK.exitCode(), "rolled back");
    m.put(
        SimulationResult.Outcome.PAUSED.exitCode(),
        "paused (Inconclusive analysis, or awaiting promotion)");
    return m;
  }

  @Override
  public Integer call() {
    RolloutSimulator.Builder builder =
        RolloutSimulator.builder(rollout, templates).autoPromote(autoPromote);
    if (metrics.metrics != null) {
      builder.recording(metrics.metrics);
    } else {
      builder.scenario(Scenario.named(metrics.scenario));
    }
    SimulationResult result = builder.build().run();
    PrintWriter out = spec.commandLine().getOut();
    if (output == Output.json) {
      out.println(Yaml.toPrettyJson(result.toJson()));
    } else {
      out.print(result.toText());
    }
    if (report != null) {
      try {
        Files.writeString(report, result.toHtml(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write report " + report, e);
      }
      spec.commandLine().getErr().println("report written to " + report);
    }
    out.flush();
    return result.outcome().exitCode();
  }
}
