package io.glidepath.analysis.provider;

import io.glidepath.analysis.MetricValue;
import io.glidepath.core.Utf8;
import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A provider that replays recorded measurements, metric by metric, in order: for tests, demos and
 * the rollout simulator.
 *
 * <p>JSON: an object keyed by metric name, each a list of entries; an entry is a number (a scalar),
 * a list (a vector, e.g. {@code [0.995]}), {@code {"value": ...}} (any JSON value) or {@code
 * {"error": "message"}} (the measurement errors):
 *
 * <pre>{@code
 * {"success-rate": [[0.995], [0.97], {"error": "timeout"}]}
 * }</pre>
 *
 * <p>CSV: a header {@code metric,value} or {@code metric,value,error}, then one row per
 * measurement; a value is a number, {@code [a b c]} (a vector, also {@code ;}-separated), {@code
 * []} (no series) or empty when {@code error} is set:
 *
 * <pre>{@code
 * metric,value,error
 * success-rate,[0.995],
 * success-rate,,connection refused
 * }</pre>
 *
 * <p>By default it serves type {@code recorded}; {@link #servingType(String)} makes it answer for
 * another type (e.g. {@code prometheus}) so that an unchanged template replays recorded data. A
 * metric whose recording is used up errors. Thread-safe.
 */
public final class RecordedProvider implements MetricProvider {
  /** The type this provider serves unless told otherwise. */
  public static final String TYPE = "recorded";

  private sealed interface Entry permits Value, Failure {}

  private record Value(MetricValue value) implements Entry {}

  private record Failure(String message) implements Entry {}

  private final String type;
  private final Map<String, List<Entry>> entries;
  private final Map<String, Integer> cursor = new HashMap<>();

  private RecordedProvider(String type, Map<String, List<Entry>> entries) {
    this.type = type;
    this.entries = entries;
  }

  /** Reads a recording from JSON text (see the class documentation). */
  public static RecordedProvider fromJson(String json) {
    JsonNode root;
    try {
      root = Yaml.mapper().readTree(json);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "recording is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("recording must be a JSON object keyed by metric name");
    }
    Map<String, List<Entry>> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (!e.getValue().isArray()) {
        throw new IllegalArgumentException(
            "recording of metric '"
                + e.getKey()
                + "' must be a list, but was "
                + e.getValue().getNodeType());
      }
      List<Entry> list = new ArrayList<>();
      for (JsonNode n : e.getValue().values()) {
        if (n.isObject() && n.has("error")) {
          list.add(new Failure(n.get("error").asString()));
        } else if (n.isObject() && n.has("value")) {
          list.add(new Value(MetricValue.ofJson(n.get("value"))));
        } else {
          list.add(new Value(MetricValue.ofJson(n)));
        }
      }
      map.put(e.getKey(), list);
    }
    return new RecordedProvider(TYPE, map);
  }

  /** Reads a recording from CSV text (see the class documentation). */
  public static RecordedProvider fromCsv(String csv) {
    List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("recording is empty");
    }
    String header = lines.get(0).replace(" ", "");
    boolean hasError = header.equals("metric,value,error");
    if (!hasError && !header.equals("metric,value")) {
      throw new IllegalArgumentException(
          "CSV header must be 'metric,value' or 'metric,value,error', but was '"
              + lines.get(0)
              + "'");
    }
    Map<String, List<Entry>> map = new LinkedHashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] cols = lines.get(i).split(",", -1);
      int line = i + 1;
      if (cols.length != (hasError ? 3 : 2)) {
        throw new IllegalArgumentException(
            "CSV line "
                + line
                + " must have "
                + (hasError ? 3 : 2)
                + " columns, but had "
                + cols.length);
      }
      String metric = cols[0].trim();
      String value = cols[1].trim();
      String error = hasError ? cols[2].trim() : "";
      Entry entry;
      if (!error.isEmpty()) {
        entry = new Failure(error);
      } else if (value.startsWith("[") && value.endsWith("]")) {
        String body = value.substring(1, value.length() - 1).trim();
        List<Double> numbers = new ArrayList<>();
        if (!body.isEmpty()) {
          for (String part : body.split("[\\s;]+")) {
            numbers.add(number(part, line));
          }
        }
        entry = new Value(MetricValue.vector(numbers));
      } else if (!value.isEmpty()) {
        entry = new Value(MetricValue.scalar(number(value, line)));
      } else {
        throw new IllegalArgumentException(
            "CSV line " + line + " has neither a value nor an error");
      }
      map.computeIfAbsent(metric, k -> new ArrayList<>()).add(entry);
    }
    return new RecordedProvider(TYPE, map);
  }

  private static double number(String text, int line) {
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "+Inf", "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "CSV line " + line + ": '" + text + "' is not a number", e);
        }
    }
  }

  /** Reads a {@code .json} or {@code .csv} recording. */
  public static RecordedProvider read(Path file) {
    String text;
    try {
      text = Utf8.read(file, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read recording " + file, e);
    }
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".csv")) {
      return fromCsv(text);
    }
    if (name.endsWith(".json")) {
      return fromJson(text);
    }
    throw new IllegalArgumentException(
        "recording must be a .json or .csv file, but was '" + file.getFileName() + "'");
  }

  /** The same recording (replayed from the start), answering for {@code type}. */
  public RecordedProvider servingType(String type) {
    return new RecordedProvider(Objects.requireNonNull(type, "type"), entries);
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public MetricValue measure(MeasurementRequest request) {
    String metric = request.metric().name();
    List<Entry> list = entries.get(metric);
    if (list == null) {
      throw new MetricProviderException(type, "no recording for metric '" + metric + "'");
    }
    int index;
    synchronized (cursor) {
      index = cursor.merge(metric, 1, Integer::sum) - 1;
    }
    if (index >= list.size()) {
      throw new MetricProviderException(
          type,
          "the recording of metric '" + metric + "' has only " + list.size() + " measurements");
    }
    Entry e = list.get(index);
    if (e instanceof Failure f) {
      throw new MetricProviderException(type, f.message());
    }
    return ((Value) e).value();
  }
}
