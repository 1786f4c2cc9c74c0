package io.glidepath.kustomize.internal;

import io.glidepath.kustomize.KustomizeException.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * kustomize's (deprecated) {@code vars}: each var names an object ({@code objref}) and a field
 * ({@code fieldref.fieldpath}, default {@code metadata.name}). A var is bound to its object in the
 * kustomization that declares it (several candidates are an error); a var name may be declared once
 * in the whole build. At the top, after every rename, {@code $(NAME)} in the {@code varReference}
 * fields (container args, command, env values, ...) is replaced by the field's final value; a
 * reference to an undeclared var stays as it is, {@code $$} is a literal {@code $}.
 */
final class Vars {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** A declared var. */
  record Var(String name, ResId objref, String fieldPath, String file) {}

  private Vars() {}

  /** Binds {@code k}'s vars to objects of {@code ra} and adds them to {@code vars}. */
  static void merge(Kust k, List<Res> ra, List<Var> vars) {
    int i = 0;
    for (JsonNode v : k.list("vars")) {
      String entry = "vars[" + i++ + "]";
      String name = k.str(v, "name", entry + ".name");
      if (name.isEmpty()) {
        throw k.error(entry + ".name", Problem.INVALID_VALUE, "is required", null);
      }
      JsonNode ref = v.path("objref");
      String apiVersion = k.str(ref, "apiVersion", entry + ".objref.apiVersion");
      Gvk gvk = Gvk.of(apiVersion, k.str(ref, "kind", entry + ".objref.kind"));
      String group = k.str(ref, "group", entry + ".objref.group");
      String version = k.str(ref, "version", entry + ".objref.version");
      if (apiVersion.isEmpty()) {
        gvk = new Gvk(group, version, gvk.kind());
      }
      ResId objref =
          new ResId(
              gvk,
              k.str(ref, "name", entry + ".objref.name"),
              k.str(ref, "namespace", entry + ".objref.namespace"));
      String path = k.str(v.path("fieldref"), "fieldpath", entry + ".fieldref.fieldpath");
      Var var = new Var(name, objref, path.isEmpty() ? "metadata.name" : path, k.file);
      List<Res> matched = new ArrayList<>();
      for (Res r : ra) {
        for (ResId id : r.anyIds()) {
          if (id.gvk().selectedBy(objref.gvk())
              && id.name().equals(objref.name())
              && (objref.namespace().isEmpty() || id.namespaceEquals(objref))) {
            matched.add(r);
            break;
          }
        }
      }
      if (matched.size() > 1) {
        throw k.error(
            entry,
            Problem.CONFLICT,
            "found "
                + matched.size()
                + " resId matches for var "
                + name
                + " (unable to disambiguate)",
            null);
      }
      if (matched.size() == 1) {
        matched.get(0).refVarNames.add(name);
      }
      add(k, entry, vars, List.of(var));
    }
  }

  /** Adds {@code added} to {@code vars}; a name declared twice is an error, as in kustomize. */
  static void add(Kust k, String entry, List<Var> vars, List<Var> added) {
    for (Var v : added) {
      for (Var old : vars) {
        if (old.name().equals(v.name())) {
          throw k.error(
              entry,
              Problem.CONFLICT,
              "var '"
                  + v.name()
                  + "' already encountered (declared in "
                  + old.file()
                  + " and "
                  + v.file()
                  + ")",
              null);
        }
      }
      vars.add(v);
    }
  }

  /** Replaces {@code $(NAME)} in every varReference field of {@code all}. */
  static void resolve(Kust top, List<Var> vars, List<Res> all, TransformerConfig tc) {
    if (vars.isEmpty()) {
      return;
    }
    Map<String, JsonNode> values = new LinkedHashMap<>();
    for (Var v : vars) {
      Res bound = null;
      for (Res r : all) {
        if (r.refVarNames.contains(v.name())) {
          bound = r;
          break;
        }
      }
      if (bound == null) {
        throw top.error(
            "vars",
            Problem.NO_PATCH_TARGET,
            "var '"
                + v.name()
                + "' ("
                + v.file()
                + ") cannot be mapped to a field in the set of"
                + " known resources",
            null);
      }
      JsonNode value = FieldPath.parse(v.fieldPath()).get(bound.body);
      if (value == null || value.isContainer()) {
        throw top.error(
            "vars",
            Problem.INVALID_VALUE,
            "field specified in var '"
                + v.name()
                + "' ("
                + v.fieldPath()
                + ") not found in "
                + bound.curId(),
            null);
      }
      values.put(v.name(), value);
    }
    for (Res r : all) {
      Gvk gvk = r.gvk();
      for (FieldSpec fs : tc.get("varReference")) {
        if (!fs.applies(gvk)) {
          continue;
        }
        fs.apply(
            r.body,
            FieldSpec.Leaf.NONE,
            (parent, field) -> {
              JsonNode v = parent.get(field);
              if (v == null || v.isNull()) {
                return;
              }
              if (v.isString()) {
                parent.set(field, expand(v.stringValue(), values));
              } else if (v instanceof ObjectNode m) {
                for (String key : new ArrayList<>(m.propertyNames())) {
                  JsonNode item = m.get(key);
                  if (item.isString()) {
                    m.set(key, expand(item.stringValue(), values));
                  }
                }
              } else if (v instanceof ArrayNode list) {
                for (int i = 0; i < list.size(); i++) {
                  if (list.get(i).isString()) {
                    list.set(i, expand(list.get(i).stringValue(), values));
                  }
                }
              }
            });
      }
    }
  }

  /**
   * Kubernetes' {@code $(VAR)} expansion: known vars are replaced, unknown ones kept, {@code $$} is
   * a {@code $}. A value that is exactly one reference takes the var's type.
   */
  static JsonNode expand(String in, Map<String, JsonNode> values) {
    if (in.startsWith("$(") && in.endsWith(")") && in.indexOf(')') == in.length() - 1) {
      JsonNode v = values.get(in.substring(2, in.length() - 1));
      if (v != null) {
        return v.deepCopy();
      }
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < in.length()) {
      char c = in.charAt(i);
      if (c == '$' && i + 1 < in.length()) {
        char n = in.charAt(i + 1);
        if (n == '$') {
          out.append('$');
          i += 2;
          continue;
        }
        if (n == '(') {
          int close = in.indexOf(')', i + 2);
          if (close > 0) {
            String name = in.substring(i + 2, close);
            JsonNode v = values.get(name);
            out.append(v == null ? in.substring(i, close + 1) : v.asString());
            i = close + 1;
            continue;
          }
        }
      }
      out.append(c);
      i++;
    }
    return F.stringNode(out.toString());
  }
}
