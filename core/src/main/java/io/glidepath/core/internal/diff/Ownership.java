package io.glidepath.core.internal.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Who set a field, at one position of the object tree: the {@code managedFields} sets of our field
 * manager, of other managers and of ignored managers, or the last-applied configuration.
 *
 * <p>{@link #child} and {@link #element} give the position one level down. Confined to one
 * comparison (one thread): positions below the root resolve themselves on first use.
 */
final class Ownership {
  enum Mode {
    /** Server-side apply: {@code metadata.managedFields} holds our manager's field set. */
    MANAGED_FIELDS,
    /** Client-side apply: the last-applied annotation says what we set before (3-way). */
    LAST_APPLIED,
    /** Nothing known: only fields of the desired object are compared (2-way). */
    TWO_WAY
  }

  static final Ownership NONE = new Ownership(Mode.TWO_WAY, null, List.of(), List.of(), null);

  final Mode mode;
  // With managedFields, positions are resolved on first question (most compared fields are equal
  // and never ask): until then parent, key (or element and mergeKey) say where this position is.
  private boolean resolved;
  private Ownership parent;
  private String key;
  private JsonNode element;
  private JsonNode ours;
  private List<JsonNode> others;
  private List<JsonNode> ignored;
  private final JsonNode lastApplied;

  private Ownership(
      Mode mode,
      JsonNode ours,
      List<JsonNode> others,
      List<JsonNode> ignored,
      JsonNode lastApplied) {
    this.mode = mode;
    this.ours = ours;
    this.others = others;
    this.ignored = ignored;
    this.lastApplied = lastApplied;
    this.resolved = true;
  }

  /** An unresolved managedFields position: map key {@code key}, or list {@code element}. */
  private Ownership(Ownership parent, String key, JsonNode element) {
    this.mode = Mode.MANAGED_FIELDS;
    this.parent = parent;
    this.key = key;
    this.element = element;
    this.lastApplied = null;
  }

  private void resolve() {
    if (resolved) {
      return;
    }
    Ownership p = parent;
    p.resolve();
    if (element == null) {
      String f = FieldNames.prefixed(key);
      ours = get(p.ours, f);
      others = children(p.others, f);
      ignored = children(p.ignored, f);
    } else {
      ours = elementOf(p.ours, element);
      others = elements(p.others, element);
      ignored = elements(p.ignored, element);
    }
    parent = null;
    key = null;
    element = null;
    resolved = true;
  }

  /** Whether this position and every one below it name no field set of any manager. */
  private boolean empty() {
    return resolved && ours == null && others.isEmpty() && ignored.isEmpty();
  }

  /**
   * The ownership of a live object's root.
   *
   * @param manualManagers managers whose ownership does not excuse a difference (manual edits)
   * @param ignoredManagers managers whose fields are ignored altogether
   */
  static Ownership of(
      JsonNode live,
      String fieldManager,
      Set<String> manualManagers,
      Set<String> ignoredManagers,
      JsonNode lastApplied) {
    JsonNode managed = live.path("metadata").path("managedFields");
    if ((!managed.isArray() || managed.isEmpty())
        && (lastApplied == null || !lastApplied.isObject())) {
      return NONE;
    }
    JsonNode ours = null;
    List<JsonNode> others = new ArrayList<>();
    List<JsonNode> ignored = new ArrayList<>();
    if (managed.isArray()) {
      for (JsonNode entry : managed) {
        String manager = entry.path("manager").asString("");
        JsonNode fields = entry.path("fieldsV1");
        if (!fields.isObject()
            || !entry.path("subresource").asString("").isEmpty()
                && !"scale".equals(entry.path("subresource").asString(""))) {
          // status subresource writes never touch the fields we compare
          continue;
        }
        if (ignoredManagers.contains(manager)) {
          ignored.add(fields);
        }
        if (manager.equals(fieldManager)) {
          ours = ours == null ? fields : merge(ours, fields);
        } else if (!manualManagers.contains(manager)) {
          others.add(fields);
        }
      }
    }
    if (ours != null) {
      return new Ownership(Mode.MANAGED_FIELDS, ours, others, ignored, null);
    }
    if (lastApplied != null && lastApplied.isObject()) {
      return new Ownership(Mode.LAST_APPLIED, null, List.of(), ignored, lastApplied);
    }
    return ignored.isEmpty() ? NONE : new Ownership(Mode.TWO_WAY, null, List.of(), ignored, null);
  }

  private static JsonNode merge(JsonNode a, JsonNode b) {
    ObjectNode out = ((ObjectNode) a).deepCopy();
    b.forEachEntry(
        (k, v) -> {
          JsonNode existing = out.get(k);
          out.set(
              k, existing != null && existing.isObject() && v.isObject() ? merge(existing, v) : v);
        });
    return out;
  }

  /** The position of map key {@code key}. */
  Ownership child(String key) {
    return switch (mode) {
      case MANAGED_FIELDS -> empty() ? this : new Ownership(this, key, null);
      case LAST_APPLIED ->
          new Ownership(
              mode,
              null,
              List.of(),
              children(ignored, FieldNames.prefixed(key)),
              lastApplied == null ? null : lastApplied.get(key));
      case TWO_WAY ->
          ignored.isEmpty()
              ? NONE
              : new Ownership(
                  mode, null, List.of(), children(ignored, FieldNames.prefixed(key)), null);
    };
  }

  /**
   * The position of a list element, matched by its merge key value ({@code mergeKey} null for lists
   * matched by value or index).
   */
  Ownership element(JsonNode element, String mergeKey) {
    if (mode == Mode.MANAGED_FIELDS) {
      return empty() ? this : new Ownership(this, null, element);
    }
    JsonNode lastElement = null;
    if (mode == Mode.LAST_APPLIED && lastApplied != null && lastApplied.isArray()) {
      for (JsonNode candidate : lastApplied) {
        if (mergeKey == null
            ? candidate.equals(element)
            : candidate.path(mergeKey).equals(element.path(mergeKey))) {
          lastElement = candidate;
          break;
        }
      }
    }
    if (mode == Mode.LAST_APPLIED) {
      return new Ownership(mode, null, List.of(), elements(ignored, element), lastElement);
    }
    return ignored.isEmpty()
        ? NONE
        : new Ownership(mode, null, List.of(), elements(ignored, element), null);
  }

  /**
   * Whether a field the desired object sets is left out of the comparison: another (non-manual)
   * manager owns it and we do not, or an ignored manager owns it.
   */
  boolean excludesDesiredField() {
    resolve();
    if (ignoredOwnsWhole()) {
      return true;
    }
    return mode == Mode.MANAGED_FIELDS && ours == null && !others.isEmpty();
  }

  /** Whether a field only the live object has was set by us (so its absence in Git is drift). */
  boolean keepsLiveOnlyField() {
    resolve();
    if (ignoredOwnsWhole()) {
      return false;
    }
    return switch (mode) {
      case MANAGED_FIELDS -> ours != null;
      case LAST_APPLIED -> lastApplied != null;
      case TWO_WAY -> false;
    };
  }

  /**
   * Whether the whole value at this position is ours as one unit: a leaf or atomic field in
   * managedFields ({@code f:args: {}}), or a last-applied value that is not an object.
   */
  boolean ownsWhole() {
    resolve();
    return switch (mode) {
      case MANAGED_FIELDS -> ours != null && ours.isEmpty();
      case LAST_APPLIED -> lastApplied != null && !lastApplied.isObject();
      case TWO_WAY -> false;
    };
  }

  /** An ignored manager owns the value here as a unit (a leaf of its field set). */
  private boolean ignoredOwnsWhole() {
    for (JsonNode n : ignored) {
      if (n.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode get(JsonNode node, String key) {
    return node == null ? null : node.get(key);
  }

  private static List<JsonNode> children(List<JsonNode> nodes, String key) {
    if (nodes.isEmpty()) {
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>(1);
    for (JsonNode n : nodes) {
      JsonNode c = n.get(key);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  private static List<JsonNode> elements(List<JsonNode> nodes, JsonNode element) {
    if (nodes.isEmpty()) {
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>(1);
    for (JsonNode n : nodes) {
      JsonNode c = elementOf(n, element);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  /** The fieldsV1 entry ({@code k:{...}} or {@code v:...}) describing {@code element}. */
  private static JsonNode elementOf(JsonNode fields, JsonNode element) {
    if (fields == null || !fields.isObject()) {
      return null;
    }
    for (Map.Entry<String, JsonNode> e : fields.properties()) {
      String name = e.getKey();
      if (name.startsWith("k:") && element.isObject()) {
        JsonNode keyFields = FieldsKeys.parse(name.substring(2));
        if (keyFields != null && matches(keyFields, element)) {
          return e.getValue();
        }
      } else if (name.startsWith("v:")) {
        JsonNode value = FieldsKeys.parse(name.substring(2));
        if (value != null && Semantics.scalarEquals(value, element)) {
          return e.getValue();
        }
      }
    }
    return null;
  }

  private static boolean matches(JsonNode keyFields, JsonNode element) {
    for (Map.Entry<String, JsonNode> k : keyFields.properties()) {
      JsonNode actual = element.path(k.getKey());
      if (actual.isMissingNode() && k.getKey().equals("protocol")) {
        // the normalizer dropped the default protocol from the element
        actual = tools.jackson.databind.node.StringNode.valueOf("TCP");
      }
      if (!Semantics.scalarEquals(k.getValue(), actual)) {
        return false;
      }
    }
    return true;
  }
}
