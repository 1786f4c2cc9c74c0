package io.glidepath.testkit.internal.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@code metadata.managedFields} of one object, read, changed and written back. */
public final class ManagedFields {
  /** One manager's entry; {@code fields} is mutable while the owning instance is being edited. */
  public static final class Entry {
    final String manager;
    final String operation;
    String apiVersion;
    String time;
    final Set<List<String>> fields;

    Entry(String manager, String operation, String apiVersion, String time, Set<List<String>> f) {
      this.manager = manager;
      this.operation = operation;
      this.apiVersion = apiVersion;
      this.time = time;
      this.fields = new LinkedHashSet<>(f);
    }
  }

  private final List<Entry> entries;

  private ManagedFields(List<Entry> entries) {
    this.entries = entries;
  }

  /** Reads the entries of {@code object}; none when it is null or has none. */
  public static ManagedFields of(JsonNode object) {
    List<Entry> entries = new ArrayList<>();
    JsonNode list = object == null ? null : object.path("metadata").get("managedFields");
    if (list != null && list.isArray()) {
      for (JsonNode e : list) {
        if (!Json.text(e, "subresource").isEmpty()) {
          continue;
        }
        entries.add(
            new Entry(
                Json.text(e, "manager"),
                Json.text(e, "operation"),
                Json.text(e, "apiVersion"),
                Json.text(e, "time"),
                FieldPaths.fromFieldsV1(e.get("fieldsV1"))));
      }
    }
    return new ManagedFields(entries);
  }

  /** The entries, in order. */
  public List<Entry> entries() {
    return entries;
  }

  /** The entry of {@code manager} for {@code operation}, created empty when absent. */
  public Entry entry(String manager, String operation, String apiVersion, Instant now) {
    for (Entry e : entries) {
      if (e.manager.equals(manager) && e.operation.equals(operation)) {
        e.apiVersion = apiVersion;
        e.time = now.toString();
        return e;
      }
    }
    Entry e = new Entry(manager, operation, apiVersion, now.toString(), Set.of());
    entries.add(e);
    return e;
  }

  /** The fields {@code manager} owns through {@code operation}; empty when none. */
  public Set<List<String>> owned(String manager, String operation) {
    return entries.stream()
        .filter(e -> e.manager.equals(manager) && e.operation.equals(operation))
        .findFirst()
        .map(e -> (Set<List<String>>) new LinkedHashSet<>(e.fields))
        .orElseGet(LinkedHashSet::new);
  }

  /** Fields owned by anyone except {@code manager}'s {@code operation} entry. */
  public Set<List<String>> ownedByOthers(String manager, String operation) {
    Set<List<String>> out = new LinkedHashSet<>();
    for (Entry e : entries) {
      if (!(e.manager.equals(manager) && e.operation.equals(operation))) {
        out.addAll(e.fields);
      }
    }
    return out;
  }

  /**
   * Records an Update by {@code manager} that changed {@code changed}: it takes those fields from
   * everyone else. Fields that no longer exist in {@code object} are dropped from every entry.
   */
  public void recordUpdate(
      String manager, Set<List<String>> changed, JsonNode object, String apiVersion, Instant now) {
    for (Entry e : entries) {
      if (!e.manager.equals(manager)) {
        e.fields.removeAll(changed);
      }
    }
    if (!changed.isEmpty()) {
      entry(manager, "Update", apiVersion, now).fields.addAll(changed);
    }
    dropMissing(object);
  }

  /** Drops fields that do not exist in {@code object} and entries left without fields. */
  public void dropMissing(JsonNode object) {
    // one walk of the object answers for the fields present; resolve only for the rest
    Set<List<String>> present = FieldPaths.present(object);
    for (Entry e : entries) {
      e.fields.removeIf(p -> !present.contains(p) && FieldPaths.resolve(object, p) == null);
    }
    entries.removeIf(e -> e.fields.isEmpty());
  }

  /** Writes the entries into {@code object.metadata.managedFields} (removing it when none). */
  public void writeTo(ObjectNode object) {
    ObjectNode metadata = Json.metadata(object);
    if (entries.isEmpty()) {
      metadata.remove("managedFields");
      return;
    }
    ArrayNode list = metadata.putArray("managedFields");
    for (Entry e : entries) {
      ObjectNode n = list.addObject();
      n.put("manager", e.manager);
      n.put("operation", e.operation);
      n.put("apiVersion", e.apiVersion);
      n.put("time", e.time);
      n.put("fieldsType", "FieldsV1");
      n.set("fieldsV1", FieldPaths.toFieldsV1(e.fields));
    }
  }

  @Override
  public String toString() {
    return Objects.toString(entries.stream().map(e -> e.manager + "/" + e.operation).toList());
  }
}
