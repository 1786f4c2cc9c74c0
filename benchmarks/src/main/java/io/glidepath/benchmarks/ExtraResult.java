package io.glidepath.benchmarks;

import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A figure measured outside JMH (retained heap, a count of write calls) written in the shape of a
 * JMH JSON result entry, so that {@link Report} reads it beside the JMH results of the same run.
 *
 * @param benchmark the full name goals.tsv refers to by suffix, e.g. {@code
 *     io.glidepath.benchmarks.rollout.RolloutHeap.bytesPerActiveRollout}
 * @param score the figure
 * @param unit its unit, e.g. {@code bytes/rollout}
 * @param lowerIsBetter whether a smaller figure is better (reported with JMH's single-shot mode,
 *     whose ratios read as times; otherwise as throughput)
 */
public record ExtraResult(String benchmark, double score, String unit, boolean lowerIsBetter) {

  /** Writes {@code results} to {@code file} as a JSON array of JMH-shaped entries. */
  public static void write(Path file, List<ExtraResult> results) throws IOException {
    ArrayNode array = Yaml.mapper().createArrayNode();
    for (ExtraResult r : results) {
      ObjectNode entry = array.addObject();
      entry.put("benchmark", r.benchmark());
      entry.put("mode", r.lowerIsBetter() ? "ss" : "thrpt");
      ObjectNode metric = entry.putObject("primaryMetric");
      metric.put("score", r.score());
      metric.put("scoreUnit", r.unit());
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, Yaml.mapper().writeValueAsString(array));
  }
}
