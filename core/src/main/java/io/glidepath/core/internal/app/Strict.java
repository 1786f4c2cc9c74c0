package io.glidepath.core.internal.app;

import io.glidepath.core.Origin;
import io.glidepath.core.app.ApplicationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A mapping read field by field: every field must be asked for, {@link #done()} rejects the rest
 * naming their path.
 */
public final class Strict {
  private final JsonNode node;
  private final String path;
  private final Origin origin;
  private final Map<String, Origin> positions;
  private final Set<String> seen = new HashSet<>();

  private Strict(JsonNode node, String path, Origin origin, Map<String, Origin> positions) {
    this.node = node;
    this.path = path;
    this.origin = origin;
    this.positions = positions;
  }

  public static Strict of(JsonNode node, String path, Origin origin) {
    return of(node, path, origin, Map.of());
  }

  /**
   * A mapping whose errors name the line and column of the field, from {@code positions} (field
   * path to where it starts; see {@code FieldPositions}), else of its nearest enclosing field.
   */
  public static Strict of(
      JsonNode node, String path, Origin origin, Map<String, Origin> positions) {
    if (!node.isObject()) {
      throw new ApplicationException(
          at(origin, positions, path), path, "must be a mapping, but was " + type(node));
    }
    return new Strict(node, path, origin, positions);
  }

  /** Where the field at {@code path} (or the nearest field enclosing it) starts. */
  private static Origin at(Origin origin, Map<String, Origin> positions, String path) {
    String p = path;
    while (!p.isEmpty()) {
      Origin found = positions.get(p);
      if (found != null) {
        return found;
      }
      int cut = p.endsWith("]") ? p.lastIndexOf('[') : p.lastIndexOf('.');
      p = cut < 0 ? "" : p.substring(0, cut);
    }
    return origin;
  }

  private Origin at(String fieldPath) {
    return at(origin, positions, fieldPath);
  }

  public String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  public ApplicationException error(String field, String problem) {
    return new ApplicationException(at(path(field)), path(field), problem);
  }

  private JsonNode raw(String field) {
    seen.add(field);
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  public Optional<String> string(String field) {
    JsonNode v = raw(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      throw error(field, "must be a string, but was " + type(v));
    }
    return Optional.of(v.asString());
  }

  public String requiredString(String field) {
    return string(field).filter(s -> !s.isBlank()).orElseThrow(() -> error(field, "is required"));
  }

  public boolean bool(String field, boolean dflt) {
    JsonNode v = raw(field);
    if (v == null) {
      return dflt;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isString() && (v.stringValue().equals("true") || v.stringValue().equals("false"))) {
      return Boolean.parseBoolean(v.stringValue());
    }
    throw error(field, "must be true or false, but was " + type(v));
  }

  public Optional<Long> integer(String field) {
    JsonNode v = raw(field);
    if (v == null) {
      return Optional.empty();
    }
    if (v.isIntegralNumber()) {
      return Optional.of(v.longValue());
    }
    if (v.isString()) {
      try {
        return Optional.of(Long.parseLong(v.stringValue().trim()));
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw error(field, "must be an integer, but was " + type(v));
  }

  public Optional<Strict> object(String field) {
    JsonNode v = raw(field);
    return v == null ? Optional.empty() : Optional.of(of(v, path(field), origin, positions));
  }

  public Optional<JsonNode> node(String field) {
    return Optional.ofNullable(raw(field));
  }

  public List<String> strings(String field) {
    return list(
        field,
        (item) -> {
          if (!item.node.isValueNode()) {
            throw new ApplicationException(
                at(item.path), item.path, "must be a string, but was " + type(item.node));
          }
          return item.node.asString();
        });
  }

  /** An element of a list, with its path. */
  public record Item(JsonNode node, String path, Origin origin, Map<String, Origin> positions) {
    public Strict object() {
      return Strict.of(node, path, origin, positions);
    }
  }

  public <T> List<T> list(String field, Function<Item, T> read) {
    JsonNode v = raw(field);
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw error(field, "must be a list, but was " + type(v));
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      out.add(read.apply(new Item(v.get(i), path(field) + "[" + i + "]", origin, positions)));
    }
    return out;
  }

  public Map<String, String> stringMap(String field) {
    JsonNode v = raw(field);
    if (v == null) {
      return Map.of();
    }
    if (!v.isObject()) {
      throw error(field, "must be a mapping, but was " + type(v));
    }
    Map<String, String> out = new LinkedHashMap<>();
    v.forEachEntry(
        (k, x) -> {
          if (!x.isValueNode()) {
            throw new ApplicationException(
                at(path(field) + "." + k),
                path(field) + "." + k,
                "must be a string, but was " + type(x));
          }
          out.put(k, x.isNull() ? "" : x.asString());
        });
    return out;
  }

  /** Rejects every field that was not asked for. */
  public void done() {
    for (String name : node.propertyNames()) {
      if (!seen.contains(name)) {
        throw new ApplicationException(at(path(name)), path(name), "unknown field");
      }
    }
  }

  private static String type(JsonNode v) {
    return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }
}
