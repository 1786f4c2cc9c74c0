package io.glidepath.helm.internal;

import io.glidepath.core.yaml.YamlException;
import io.glidepath.core.yaml.YamlLimits;
import io.glidepath.core.yaml.YamlReader;
import io.glidepath.helm.repo.ChartVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A Helm repository's {@code index.yaml}: for each chart, its versions with their archive URLs and
 * digests. Entries whose version is not a semantic version are skipped, as Helm skips them.
 */
public final class HelmIndex {
  /** One version of one chart. */
  public record Entry(
      String name, ChartVersion version, List<String> urls, Optional<String> digest) {
    public Entry {
      urls = List.copyOf(urls);
    }
  }

  /** Why an index was refused. */
  public static final class InvalidIndex extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidIndex(String message) {
      super(message);
    }
  }

  private final Map<String, List<Entry>> entries;

  private HelmIndex(Map<String, List<Entry>> entries) {
    this.entries = entries;
  }

  /**
   * Parses {@code yaml}; at most {@code maxEntries} chart versions in all.
   *
   * @throws InvalidIndex when it is not an index or exceeds the limits
   */
  public static HelmIndex parse(byte[] yaml, String source, int maxEntries) throws InvalidIndex {
    JsonNode tree;
    try {
      YamlReader reader =
          new YamlReader(
              new YamlLimits(
                  Math.max(yaml.length, 1),
                  YamlLimits.DEFAULT_MAX_ALIASES,
                  YamlLimits.DEFAULT_MAX_DEPTH,
                  Math.max(YamlLimits.DEFAULT_MAX_NODES, (long) maxEntries * 64)));
      tree = reader.readTree(new String(yaml, StandardCharsets.UTF_8), source);
    } catch (YamlException e) {
      throw new InvalidIndex("index.yaml is not valid YAML: " + e.problem());
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidIndex("index.yaml is not a mapping");
    }
    if (tree.path("apiVersion").asString("").isEmpty()) {
      throw new InvalidIndex("index.yaml has no apiVersion (not a Helm repository index)");
    }
    JsonNode all = tree.path("entries");
    if (!all.isObject() && !all.isMissingNode() && !all.isNull()) {
      throw new InvalidIndex("index.yaml's entries is not a mapping");
    }
    Map<String, List<Entry>> out = new LinkedHashMap<>();
    int count = 0;
    for (Map.Entry<String, JsonNode> chart : all.properties()) {
      if (!chart.getValue().isArray()) {
        throw new InvalidIndex("index.yaml's entries." + chart.getKey() + " is not a list");
      }
      List<Entry> versions = new ArrayList<>();
      for (JsonNode v : chart.getValue()) {
        if (++count > maxEntries) {
          throw new InvalidIndex(
              "index.yaml lists more than the limit of " + maxEntries + " chart versions");
        }
        Optional<ChartVersion> version = ChartVersion.tryParse(v.path("version").asString(""));
        if (version.isEmpty()) {
          continue;
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode u : v.path("urls")) {
          urls.add(u.asString(""));
        }
        String digest = v.path("digest").asString("");
        versions.add(
            new Entry(
                chart.getKey(),
                version.get(),
                urls,
                digest.isEmpty() ? Optional.empty() : Optional.of(digest)));
      }
      out.put(chart.getKey(), List.copyOf(versions));
    }
    return new HelmIndex(out);
  }

  /** The versions of {@code chart}; empty when the index does not list it. */
  public List<Entry> versions(String chart) {
    return entries.getOrDefault(chart, List.of());
  }

  /** Whether the index lists {@code chart}. */
  public boolean has(String chart) {
    return entries.containsKey(chart);
  }

  /** How many chart versions the index lists. */
  public int size() {
    return entries.values().stream().mapToInt(List::size).sum();
  }
}
