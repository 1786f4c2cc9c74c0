package io.glidepath.kustomize.internal;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kustomize.KustomizeException.Problem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * kustomize's {@code replacements}: copy a value from one object (the source, found by type, name
 * and namespace, current or earlier) into fields of others (targets chosen by {@code select}, minus
 * {@code reject}). Options: {@code delimiter} and {@code index} take or replace one part of a
 * delimited string, {@code create} makes missing target fields. A scalar target keeps its type, as
 * in kustomize ({@code "8080"} into a number field stays a number).
 */
final class Replacements {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Replacements() {}

  /** The replacements of {@code k}'s {@code replacements} field, inline or from files. */
  static List<JsonNode> load(Kust k, FileAccess files) {
    List<JsonNode> out = new ArrayList<>();
    int i = 0;
    for (JsonNode r : k.list("replacements")) {
      String entry = "replacements[" + i++ + "]";
      out.addAll(load(k, entry, r, files));
    }
    return out;
  }

  static List<JsonNode> load(Kust k, String entry, JsonNode r, FileAccess files) {
    if (!r.isObject()) {
      throw k.error(entry, Problem.INVALID_VALUE, "must be a map", null);
    }
    if (!r.has("path")) {
      return List.of(r);
    }
    if (r.has("source") || r.has("targets")) {
      throw k.error(
          entry, Problem.INVALID_VALUE, "cannot specify both path and inline replacement", null);
    }
    String path = k.str(r, "path", entry + ".path");
    JsonNode doc;
    try {
      doc = Yaml.readTree(files.textOf(k, entry + ".path", path), path);
    } catch (GlidepathException e) {
      throw k.error(entry + ".path", Problem.INVALID_VALUE, e.getMessage(), e);
    }
    if (doc.isArray()) {
      List<JsonNode> out = new ArrayList<>();
      doc.forEach(out::add);
      return out;
    }
    if (doc.isObject()) {
      return List.of(doc);
    }
    throw k.error(
        entry + ".path", Problem.INVALID_VALUE, "must hold a replacement or a list of them", null);
  }

  /** Applies {@code replacements} to {@code ra} in order. */
  static void apply(Kust k, String entry, List<JsonNode> replacements, List<Res> ra) {
    int i = 0;
    for (JsonNode r : replacements) {
      String e = entry + "[" + i++ + "]";
      JsonNode source = r.get("source");
      JsonNode targets = r.get("targets");
      if (source == null || !source.isObject() || targets == null || !targets.isArray()) {
        throw k.error(
            e,
            Problem.INVALID_VALUE,
            "replacements must specify a source and at least one target",
            null);
      }
      JsonNode value = value(k, e + ".source", source, ra);
      int t = 0;
      for (JsonNode target : targets) {
        apply(k, e + ".targets[" + t++ + "]", target, value, ra);
      }
    }
  }

  private static ResId selector(JsonNode n) {
    return new ResId(Gvk.selector(n), text(n, "name"), text(n, "namespace"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "" : v.asString();
  }

  private static boolean selects(ResId selector, ResId id) {
    return (selector.name().isEmpty() || selector.name().equals(id.name()))
        && (selector.namespace().isEmpty() || selector.namespaceEquals(id))
        && id.gvk().selectedBy(selector.gvk());
  }

  private static boolean anySelected(ResId selector, Res r) {
    for (ResId id : r.anyIds()) {
      if (selects(selector, id)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode value(Kust k, String entry, JsonNode source, List<Res> ra) {
    ResId sel = selector(source);
    Res found = null;
    for (Res r : ra) {
      if (anySelected(sel, r)) {
        if (found != null) {
          throw k.error(entry, Problem.CONFLICT, "multiple matches for selector " + sel, null);
        }
        found = r;
      }
    }
    if (found == null) {
      throw k.error(entry, Problem.NO_PATCH_TARGET, "nothing selected by " + sel, null);
    }
    String fieldPath = text(source, "fieldPath");
    if (fieldPath.isEmpty()) {
      fieldPath = "metadata.name";
    }
    JsonNode v = FieldPath.parse(fieldPath).get(found.body);
    if (v == null || v.isNull() || (v.isContainer() && v.isEmpty())) {
      throw k.error(
          entry,
          Problem.INVALID_VALUE,
          "fieldPath `" + fieldPath + "` is missing for replacement source " + found.curId(),
          null);
    }
    JsonNode options = source.path("options");
    String delimiter = text(options, "delimiter");
    if (delimiter.isEmpty()) {
      return v.deepCopy();
    }
    if (!v.isValueNode()) {
      throw k.error(
          entry,
          Problem.INVALID_VALUE,
          "delimiter option can only be used with scalar nodes",
          null);
    }
    String[] parts = v.asString().split(java.util.regex.Pattern.quote(delimiter), -1);
    int index = options.path("index").asInt(0);
    if (index < 0 || index >= parts.length) {
      throw k.error(
          entry,
          Problem.INVALID_VALUE,
          "options.index " + index + " is out of bounds for value " + v.asString(),
          null);
    }
    return F.stringNode(parts[index]);
  }

  private static void apply(Kust k, String entry, JsonNode target, JsonNode value, List<Res> ra) {
    JsonNode select = target.get("select");
    if (select == null || !select.isObject()) {
      throw k.error(entry, Problem.INVALID_VALUE, "target must specify resources to select", null);
    }
    ResId sel = selector(select);
    List<ResId> rejects = new ArrayList<>();
    List<JsonNode> rejectNodes = new ArrayList<>();
    for (JsonNode rj : k.listAt(target.get("reject"), entry + ".reject")) {
      rejects.add(selector(rj));
      rejectNodes.add(rj);
    }
    List<String> fieldPaths = k.strings(target.get("fieldPaths"), entry + ".fieldPaths");
    if (fieldPaths.isEmpty()) {
      fieldPaths = List.of("metadata.name");
    }
    JsonNode options = target.path("options");
    boolean create = options.path("create").asBoolean(false);
    Selector labels =
        Selector.parse(k, entry + ".select.labelSelector", text(select, "labelSelector"));
    Selector annotations =
        Selector.parse(k, entry + ".select.annotationSelector", text(select, "annotationSelector"));
    for (Res r : ra) {
      if (labels != null && !labels.matches(strings(r, "labels"))) {
        continue;
      }
      if (annotations != null && !annotations.matches(strings(r, "annotations"))) {
        continue;
      }
      if (!anySelected(sel, r)) {
        continue;
      }
      boolean rejected = false;
      for (int j = 0; j < rejects.size(); j++) {
        Selector rl =
            Selector.parse(k, entry + ".reject", text(rejectNodes.get(j), "labelSelector"));
        Selector ra2 =
            Selector.parse(k, entry + ".reject", text(rejectNodes.get(j), "annotationSelector"));
        boolean idPart =
            rejects.get(j).gvk().isEmpty()
                    && rejects.get(j).name().isEmpty()
                    && rejects.get(j).namespace().isEmpty()
                ? (rl != null || ra2 != null)
                : anySelected(rejects.get(j), r);
        if (idPart
            && (rl == null || rl.matches(strings(r, "labels")))
            && (ra2 == null || ra2.matches(strings(r, "annotations")))) {
          rejected = true;
          break;
        }
      }
      if (rejected) {
        continue;
      }
      for (String fp : fieldPaths) {
        List<FieldPath.Slot> slots = FieldPath.parse(fp).find(r.body, create, false);
        if (slots.isEmpty()) {
          throw k.error(
              entry,
              Problem.INVALID_VALUE,
              create
                  ? "unable to find or create field \""
                      + fp
                      + "\" in replacement target "
                      + r.curId()
                  : "unable to find field \"" + fp + "\" in replacement target " + r.curId(),
              null);
        }
        for (FieldPath.Slot s : slots) {
          set(k, entry, s, value, options);
        }
      }
    }
  }

  private static Map<String, String> strings(Res r, String field) {
    Map<String, String> m = new LinkedHashMap<>();
    JsonNode n = r.body.path("metadata").path(field);
    if (n.isObject()) {
      n.forEachEntry((key, v) -> m.put(key, v.asString()));
    }
    return m;
  }

  private static void set(
      Kust k, String entry, FieldPath.Slot slot, JsonNode value, JsonNode options) {
    JsonNode current = slot.get();
    JsonNode v = value;
    String delimiter = text(options, "delimiter");
    if (!delimiter.isEmpty()) {
      if (current == null || !current.isValueNode()) {
        throw k.error(
            entry,
            Problem.INVALID_VALUE,
            "delimiter option can only be used with scalar nodes",
            null);
      }
      List<String> parts =
          new ArrayList<>(
              Arrays.asList(
                  current.asString().split(java.util.regex.Pattern.quote(delimiter), -1)));
      int index = options.path("index").asInt(0);
      String text = value.asString();
      if (index < 0) {
        parts.add(0, text);
      } else if (index >= parts.size()) {
        parts.add(text);
      } else {
        parts.set(index, text);
      }
      v = F.stringNode(String.join(delimiter, parts));
    }
    if (current != null && current.isValueNode() && !current.isNull() && v.isValueNode()) {
      slot.set(sameType(current, v.asString()));
    } else {
      slot.set(v.deepCopy());
    }
  }

  /** {@code text} as a value of {@code like}'s type where it reads as one, else a string. */
  private static JsonNode sameType(JsonNode like, String text) {
    if (like.isNumber()) {
      try {
        BigDecimal d = new BigDecimal(text);
        if (like.isIntegralNumber() && d.scale() <= 0) {
          return F.numberNode(d.toBigIntegerExact());
        }
        return F.numberNode(d);
      } catch (NumberFormatException | ArithmeticException e) {
        return F.stringNode(text);
      }
    }
    if (like.isBoolean() && (text.equals("true") || text.equals("false"))) {
      return F.booleanNode(Boolean.parseBoolean(text));
    }
    return F.stringNode(text);
  }
}
