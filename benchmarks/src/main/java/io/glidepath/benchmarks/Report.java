package io.glidepath.benchmarks;

import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Turns a JMH JSON result file and {@code benchmarks/goals.tsv} into {@code benchmarks/RESULTS.md}:
 * for each goal, Glidepath's figure, the peer's figure measured in the same run, the ratio, the
 * goal and whether it is met.
 *
 * <p>{@code goals.tsv} columns (tab-separated, {@code #} comments): id, Glidepath benchmark (the
 * JMH name's suffix, e.g. {@code KustomizeBenchmark.glidepath}), peer benchmark or {@code -}, goal
 * ({@code ratio>=20}: peer time / Glidepath time, or Glidepath ops / peer ops; {@code score>=N} or
 * {@code score<=N} on Glidepath's own figure), and a description.
 *
 * <p>Figures measured outside JMH (retained heap, write counts) come as further result files in the
 * same JSON shape, written by {@link ExtraResult}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.glidepath.benchmarks.Report goals.tsv RESULTS.md
 * "command that produced the results" jmh-result.json [more-results.json...]}.
 */
public final class Report {
  record Goal(String id, String glidepath, String peer, String goal, String description) {}

  record Figure(double score, double error, String unit, String mode) {
    String show() {
      return Double.isNaN(error)
          ? String.format(Locale.ROOT, "%.3f %s", score, unit)
          : String.format(Locale.ROOT, "%.3f ± %.3f %s", score, error, unit);
    }

    /** Bigger is better for throughput, smaller for time and size. */
    boolean higherIsBetter() {
      return mode.equals("thrpt");
    }
  }

  private Report() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      System.err.println(
          "usage: Report goals.tsv RESULTS.md \"command\" jmh-result.json [more-results.json...]");
      System.exit(2);
    }
    List<Goal> goals = goals(Path.of(args[0]));
    List<JsonNode> results = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      Path file = Path.of(args[i]);
      if (Files.exists(file)) {
        Yaml.mapper().readTree(Files.readString(file)).forEach(results::add);
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results\n\n");
    md.append("Measured on ")
        .append(LocalDate.now())
        .append(" on this machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(ManagementFactory.getOperatingSystemMXBean().getArch())
        .append(", Java ")
        .append(System.getProperty("java.version"))
        .append(".\n\n");
    md.append("Command: `").append(args[2]).append("`\n\n");
    md.append(
        "Absolute figures depend on the machine; the ratios, measured in the same run, are the claim.\n\n");
    md.append("| goal | Glidepath | peer | ratio | target | met |\n|---|---|---|---|---|---|\n");
    for (Goal g : goals) {
      Optional<Figure> ours = find(results, g.glidepath());
      Optional<Figure> peer = g.peer().equals("-") ? Optional.empty() : find(results, g.peer());
      String ratio = "";
      String met = "not run";
      if (ours.isPresent()) {
        String goal = g.goal().replace(" ", "");
        if (goal.startsWith("ratio") && peer.isPresent()) {
          double r =
              ours.get().higherIsBetter()
                  ? ours.get().score() / peer.get().score()
                  : peer.get().score() / ours.get().score();
          ratio = String.format(Locale.ROOT, r >= 0.1 ? "%.1fx" : "%.2gx", r);
          met = check(r, goal.substring("ratio".length())) ? "yes" : "NO";
        } else if (goal.startsWith("score")) {
          met = check(ours.get().score(), goal.substring("score".length())) ? "yes" : "NO";
        } else {
          met = "peer not run";
        }
      }
      md.append("| ")
          .append(g.id())
          .append(": ")
          .append(g.description())
          .append(" | ")
          .append(ours.map(Figure::show).orElse("-"))
          .append(" | ")
          .append(peer.map(Figure::show).orElse(g.peer().equals("-") ? "" : "-"))
          .append(" | ")
          .append(ratio)
          .append(" | ")
          .append(g.goal())
          .append(" | ")
          .append(met)
          .append(" |\n");
    }
    Files.writeString(Path.of(args[1]), md.toString());
    System.out.print(md);
  }

  private static boolean check(double value, String comparison) {
    if (comparison.startsWith(">=")) {
      return value >= Double.parseDouble(comparison.substring(2));
    }
    if (comparison.startsWith("<=")) {
      return value <= Double.parseDouble(comparison.substring(2));
    }
    throw new IllegalArgumentException("goal must use >= or <=, but was " + comparison);
  }

  private static Optional<Figure> find(List<JsonNode> results, String suffix) {
    for (JsonNode r : results) {
      if (r.path("benchmark").asString("").endsWith(suffix)) {
        JsonNode m = r.path("primaryMetric");
        return Optional.of(
            new Figure(
                m.path("score").asDouble(), m.path("scoreError").asDouble(Double.NaN),
                m.path("scoreUnit").asString(), r.path("mode").asString()));
      }
    }
    return Optional.empty();
  }

  private static List<Goal> goals(Path file) throws IOException {
    List<Goal> goals = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      if (f.length != 5) {
        throw new IllegalArgumentException(file + ": expected 5 tab-separated columns in: " + line);
      }
      goals.add(new Goal(f[0], f[1], f[2], f[3], f[4]));
    }
    return goals;
  }
}
