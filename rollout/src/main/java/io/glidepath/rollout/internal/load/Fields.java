package io.glidepath.rollout.internal.load;

import io.glidepath.core.time.GoDuration;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One mapping of a document, read field by field. A field of the wrong type is refused (and read as
 * absent) instead of stopping the read, so that every problem of a document is reported at once;
 * {@link #done()} refuses the fields nobody asked for.
 */
public final class Fields {
  private final JsonNode node;
  private final String path;
  private final Refusals refusals;
  private final Set<String> seen = new HashSet<>();

  private Fields(JsonNode node, String path, Refusals refusals) {
    this.node = node;
    this.path = path;
    this.refusals = refusals;
  }

  /** The mapping {@code node} at {@code path}; a non-mapping is refused and read as empty. */
  public static Fields of(JsonNode node, String path, Refusals refusals) {
    if (node == null || !node.isObject()) {
      if (node != null && !node.isNull()) {
        refusals.add(path, "must be a mapping, but was " + type(node));
      }
      return new Fields(
          tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(), path, refusals);
    }
    return new Fields(node, path, refusals);
  }

  public String path() {
    return path;
  }

  public String path(String field) {
    if (field.isEmpty()) {
      return path;
    }
    return path.isEmpty() ? field : path + "." + field;
  }

  public Refusals refusals() {
    return refusals;
  }

  /** The mapping itself (a copy). */
  public ObjectNode node() {
    return ((ObjectNode) node).deepCopy();
  }

  public boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  /** Refuses {@code field} with {@code reason} when it is set. */
  public void refuse(String field, String reason) {
    if (node.has(field)) {
      seen.add(field);
      refusals.add(path(field), reason);
    }
  }

  /** Refuses {@code field} at the given path. */
  public void refuseAt(String field, String reason) {
    refusals.add(path(field), reason);
  }

  /** Marks {@code field} as read without using it (e.g. status written by controllers). */
  public void ignore(String field) {
    seen.add(field);
  }

  /** The raw value of {@code field}, taken as a whole (e.g. a pod template). */
  public Optional<JsonNode> raw(String field) {
    seen.add(field);
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  public Optional<String> string(String field) {
    Optional<JsonNode> v = raw(field);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (!v.get().isValueNode()) {
      refusals.add(path(field), "must be a string, but was " + type(v.get()));
      return Optional.empty();
    }
    return Optional.of(v.get().asString());
  }

  /** A required non-blank string; refused (and returned empty) when missing. */
  public String requiredString(String field) {
    Optional<String> s = string(field).filter(x -> !x.isBlank());
    if (s.isEmpty() && !(node.has(field) && !node.get(field).isValueNode())) {
      refusals.add(path(field), "is required");
    }
    return s.orElse("");
  }

  public Optional<Boolean> bool(String field) {
    Optional<JsonNode> v = raw(field);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    JsonNode b = v.get();
    if (b.isBoolean()) {
      return Optional.of(b.booleanValue());
    }
    if (b.isString() && (b.stringValue().equals("true") || b.stringValue().equals("false"))) {
      return Optional.of(Boolean.parseBoolean(b.stringValue()));
    }
    refusals.add(path(field), "must be true or false, but was " + describe(b));
    return Optional.empty();
  }

  /** A whole number within {@code min..max}. */
  public OptionalInt integer(String field, long min, long max) {
    Optional<JsonNode> v = raw(field);
    if (v.isEmpty()) {
      return OptionalInt.empty();
    }
    JsonNode n = v.get();
    long value;
    if (n.isIntegralNumber()) {
      value = n.longValue();
    } else if (n.isString() && n.stringValue().trim().matches("-?\\d{1,18}")) {
      value = Long.parseLong(n.stringValue().trim());
    } else {
      refusals.add(path(field), "must be a whole number, but was " + describe(n));
      return OptionalInt.empty();
    }
    if (value < min || value > max) {
      refusals.add(
          path(field),
          "must be within "
              + min
              + ".."
              + (max == Integer.MAX_VALUE ? "2147483647" : max)
              + ", but was "
              + value);
      return OptionalInt.empty();
    }
    return OptionalInt.of((int) value);
  }

  /** An int-or-string ({@code 5} or {@code "25%"}), as text. */
  public Optional<String> intOrString(String field) {
    Optional<JsonNode> v = raw(field);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (v.get().isIntegralNumber() || v.get().isString()) {
      return Optional.of(v.get().asString());
    }
    refusals.add(
        path(field), "must be a whole number or a percentage, but was " + describe(v.get()));
    return Optional.empty();
  }

  /**
   * A duration: a whole number of seconds or Go's form ({@code 30s}, {@code 1h30m}), as Argo's
   * DurationString and pause durations take it.
   */
  public Optional<Duration> duration(String field) {
    Optional<JsonNode> v = raw(field);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    JsonNode d = v.get();
    try {
      if (d.isIntegralNumber()) {
        return Optional.of(Duration.ofSeconds(d.longValue()));
      }
      if (d.isString()) {
        String s = d.stringValue().trim();
        if (s.matches("\\d{1,12}")) {
          return Optional.of(Duration.ofSeconds(Long.parseLong(s)));
        }
        Duration parsed = GoDuration.parse(s);
        if (parsed.isNegative()) {
          refusals.add(path(field), "must not be negative, but was '" + s + "'");
          return Optional.empty();
        }
        return Optional.of(parsed);
      }
    } catch (IllegalArgumentException | DateTimeParseException e) {
      refusals.add(path(field), "must be a duration such as 30s or 1h, but was " + describe(d));
      return Optional.empty();
    }
    refusals.add(path(field), "must be a duration such as 30s or 1h, but was " + describe(d));
    return Optional.empty();
  }

  /** A nested mapping. */
  public Optional<Fields> object(String field) {
    Optional<JsonNode> v = raw(field);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (!v.get().isObject()) {
      refusals.add(path(field), "must be a mapping, but was " + type(v.get()));
      return Optional.empty();
    }
    return Optional.of(new Fields(v.get(), path(field), refusals));
  }

  /** A list of mappings. */
  public List<Fields> objects(String field) {
    List<Fields> out = new ArrayList<>();
    for (Item item : list(field)) {
      if (!item.node().isObject()) {
        refusals.add(item.path(), "must be a mapping, but was " + type(item.node()));
      } else {
        out.add(new Fields(item.node(), item.path(), refusals));
      }
    }
    return out;
  }

  /** An element of a list, with its path. */
  public record Item(JsonNode node, String path) {}

  public List<Item> list(String field) {
    Optional<JsonNode> v = raw(field);
    List<Item> out = new ArrayList<>();
    if (v.isEmpty()) {
      return out;
    }
    if (!v.get().isArray()) {
      refusals.add(path(field), "must be a list, but was " + type(v.get()));
      return out;
    }
    for (int i = 0; i < v.get().size(); i++) {
      out.add(new Item(v.get().get(i), path(field) + "[" + i + "]"));
    }
    return out;
  }

  public List<String> strings(String field) {
    List<String> out = new ArrayList<>();
    for (Item item : list(field)) {
      if (!item.node().isValueNode() || item.node().isNull()) {
        refusals.add(item.path(), "must be a string, but was " + type(item.node()));
      } else {
        out.add(item.node().asString());
      }
    }
    return out;
  }

  /** A mapping of strings to strings (labels, annotations). */
  public Map<String, String> stringMap(String field) {
    Optional<JsonNode> v = raw(field);
    Map<String, String> out = new LinkedHashMap<>();
    if (v.isEmpty()) {
      return out;
    }
    if (!v.get().isObject()) {
      refusals.add(path(field), "must be a mapping, but was " + type(v.get()));
      return out;
    }
    for (Map.Entry<String, JsonNode> e : v.get().properties()) {
      if (!e.getValue().isValueNode()) {
        refusals.add(
            path(field) + "." + e.getKey(), "must be a string, but was " + type(e.getValue()));
      } else {
        out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asString());
      }
    }
    return out;
  }

  /** Calls {@code read} with the nested mapping when {@code field} is set. */
  public void ifObject(String field, Consumer<Fields> read) {
    object(field).ifPresent(read);
  }

  /** Refuses every field nobody asked for. */
  public void done() {
    for (String name : node.propertyNames()) {
      if (!seen.contains(name)) {
        refusals.add(path(name), "unknown field");
      }
    }
  }

  /** The names of the fields present. */
  public List<String> names() {
    return new ArrayList<>(node.propertyNames());
  }

  static String type(JsonNode v) {
    return v.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  static String describe(JsonNode v) {
    if (v.isValueNode()) {
      String s = v.asString();
      return "'" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'";
    }
    return type(v);
  }
}
