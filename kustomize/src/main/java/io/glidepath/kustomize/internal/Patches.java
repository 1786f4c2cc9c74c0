package io.glidepath.kustomize.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.glidepath.core.GlidepathException;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import io.glidepath.core.yaml.YamlReader;
import io.glidepath.kustomize.KustomizeException.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * kustomize's patch transformers: {@code patchesStrategicMerge} (each patch finds its target by its
 * own identity, current or earlier), {@code patches} (strategic merge or JSON 6902, by a target
 * selector or by identity) and {@code patchesJson6902}. A patch keeps the target's name, namespace
 * and kind unless its options allow a change.
 */
final class Patches {
  private final FileAccess files;
  private final boolean strict;
  private final List<String> warnings;

  /** The custom schema of an {@code openapi} field, once a kustomization has set one. */
  OpenApiSchema schema;

  Patches(FileAccess files, boolean strict, List<String> warnings) {
    this.files = files;
    this.strict = strict;
    this.warnings = warnings;
  }

  /** The {@code patchesStrategicMerge} entries of {@code k}. */
  void strategicMerge(Kust k, List<Res> ra) {
    int i = 0;
    for (JsonNode n : k.list("patchesStrategicMerge")) {
      String entry = "patchesStrategicMerge[" + i++ + "]";
      if (!n.isString()) {
        throw k.error(entry, Problem.INVALID_VALUE, "must be a path or an inline patch", null);
      }
      String v = n.stringValue();
      String text = v.contains("\n") || v.contains(": ") ? v : files.textOf(k, entry, v);
      for (ObjectNode patch : smpDocuments(k, entry, parse(k, entry, text))) {
        applyById(k, entry, ra, patch, false, false);
      }
    }
  }

  /** The {@code patches} entries (or, with {@code json6902Only}, {@code patchesJson6902}). */
  void patches(Kust k, String field, List<Res> ra) {
    int i = 0;
    for (JsonNode n : k.list(field)) {
      apply(k, field + "[" + i++ + "]", n, ra, field.equals("patchesJson6902"));
    }
  }

  /** One patch entry in kustomize's {@code Patch} form: path or patch, target, options. */
  void apply(Kust k, String entry, JsonNode n, List<Res> ra, boolean json6902Only) {
    if (!n.isObject()) {
      throw k.error(entry, Problem.INVALID_VALUE, "must be a map with path or patch", null);
    }
    JsonNode pathNode = n.get("path");
    JsonNode inline = n.get("patch");
    if (pathNode != null && inline != null) {
      throw k.error(
          entry, Problem.INVALID_VALUE, "patch and path can't be set at the same time", null);
    }
    if (pathNode == null && inline == null) {
      throw k.error(entry, Problem.INVALID_VALUE, "needs one of path and patch", null);
    }
    String text =
        pathNode != null
            ? files.textOf(k, entry + ".path", k.str(n, "path", entry + ".path"))
            : k.str(n, "patch", entry + ".patch");
    if (text.isBlank()) {
      throw k.error(entry, Problem.INVALID_PATCH, "the patch is empty", null);
    }
    JsonNode target = n.get("target");
    if (target != null && target.isNull()) {
      target = null;
    }
    JsonNode options = n.path("options");
    boolean allowName = options.path("allowNameChange").asBoolean(false);
    boolean allowKind = options.path("allowKindChange").asBoolean(false);
    List<YamlDocument> docs = parse(k, entry, text);
    boolean json6902 = docs.size() == 1 && docs.get(0).content().isArray();
    if (json6902Only && !json6902) {
      throw k.error(
          entry, Problem.INVALID_PATCH, "a JSON 6902 patch must be a list of operations", null);
    }
    if (json6902) {
      if (target == null) {
        throw k.error(
            entry + ".target", Problem.INVALID_VALUE, "a JSON 6902 patch needs a target", null);
      }
      List<Res> selected = select(k, entry + ".target", target, ra);
      if (selected.isEmpty()) {
        noTarget(k, entry, target);
      }
      for (Res r : selected) {
        if (!json6902Only) {
          r.storePreviousId();
        }
        try {
          r.body = JsonPatch.apply(r.body, docs.get(0).content());
        } catch (PatchException e) {
          throw k.error(
              entry,
              Problem.INVALID_PATCH,
              "cannot patch " + r.describe() + ": " + e.getMessage(),
              e);
        }
      }
      return;
    }
    List<ObjectNode> patches = smpDocuments(k, entry, docs);
    if (target == null) {
      for (ObjectNode p : patches) {
        applyById(k, entry, ra, p, allowName, allowKind);
      }
      return;
    }
    if (patches.size() > 1) {
      throw k.error(
          entry,
          Problem.INVALID_PATCH,
          "several strategic merge patches in one patches entry may not have a target",
          null);
    }
    List<Res> selected = select(k, entry + ".target", target, ra);
    if (selected.isEmpty()) {
      noTarget(k, entry, target);
    }
    for (Res r : selected) {
      applySmp(k, entry, ra, r, patches.get(0), allowName, allowKind);
    }
  }

  private void noTarget(Kust k, String entry, JsonNode target) {
    if (strict) {
      throw k.error(
          entry + ".target",
          Problem.NO_PATCH_TARGET,
          "target "
              + Yaml.toJson(target)
              + " selects no resource (kustomize would skip this patch silently; use"
              + " KustomizeRenderer.lenient() for that)",
          null);
    }
    warnings.add(
        entry + " in " + k.file + ": target " + Yaml.toJson(target) + " selects no resource");
  }

  /** kustomize reads patches keeping a repeated key's first value. */
  private static final YamlReader PATCH_READER =
      Yaml.reader().withDuplicateKeys(YamlReader.DuplicateKeys.FIRST_WINS);

  private static List<YamlDocument> parse(Kust k, String entry, String text) {
    try {
      return PATCH_READER.readDocuments(
          KyamlScalars.quoteYaml11Booleans(text), k.file + "#" + entry);
    } catch (GlidepathException e) {
      throw k.error(entry, Problem.INVALID_PATCH, e.getMessage(), e);
    }
  }

  private static List<ObjectNode> smpDocuments(Kust k, String entry, List<YamlDocument> docs) {
    List<ObjectNode> out = new ArrayList<>();
    for (YamlDocument d : docs) {
      if (!d.content().isObject()) {
        throw k.error(
            entry,
            Problem.INVALID_PATCH,
            "a strategic merge patch must be a map, but is a " + d.content().getNodeType(),
            null);
      }
      out.add((ObjectNode) d.content());
    }
    return out;
  }

  /** A patch without target: the one resource that has or had the patch's identity. */
  void applyById(
      Kust k, String entry, List<Res> ra, ObjectNode patch, boolean allowName, boolean allowKind) {
    String kind = patch.path("kind").asString("");
    String name = patch.path("metadata").path("name").asString("");
    if (kind.isEmpty() || name.isEmpty()) {
      throw k.error(
          entry,
          Problem.INVALID_PATCH,
          "a strategic merge patch without a target needs kind and metadata.name",
          null);
    }
    ResId id =
        new ResId(
            Gvk.of(patch.path("apiVersion").asString(""), kind),
            name,
            patch.path("metadata").path("namespace").asString(""));
    List<Res> matches = new ArrayList<>();
    for (Res r : ra) {
      for (ResId any : r.anyIds()) {
        if (any.sameAs(id)) {
          matches.add(r);
          break;
        }
      }
    }
    if (matches.isEmpty()) {
      throw k.error(
          entry,
          Problem.NO_PATCH_TARGET,
          "no resource matches strategic merge patch "
              + id
              + " (by its current or an earlier name)",
          null);
    }
    if (matches.size() > 1) {
      List<String> ids = new ArrayList<>();
      matches.forEach(r -> ids.add(r.curId().toString()));
      throw k.error(
          entry,
          Problem.NO_PATCH_TARGET,
          "strategic merge patch "
              + id
              + " matches several resources "
              + ids
              + "; it needs a unique target",
          null);
    }
    applySmp(k, entry, ra, matches.get(0), patch, allowName, allowKind);
  }

  /** kustomize's {@code ApplySmPatch} on one target. */
  void applySmp(
      Kust k,
      String entry,
      List<Res> ra,
      Res target,
      ObjectNode patch,
      boolean allowName,
      boolean allowKind) {
    ObjectNode p = patch.deepCopy();
    String kind = target.kind();
    String name = target.name();
    String namespace = target.namespace();
    JsonNode apiVersion = target.body.get("apiVersion");
    if (apiVersion != null) {
      // the target's own node: a number stays a number, as in kustomize
      p.set("apiVersion", apiVersion.deepCopy());
    } else {
      p.put("apiVersion", "");
    }
    if (!patch.has("kind")) {
      p.put("kind", kind);
    }
    if (allowName || allowKind) {
      target.storePreviousId();
    }
    ObjectNode merged;
    try {
      merged = StrategicMerge.apply(target.body, p, target.builtIn(), schema);
    } catch (PatchException e) {
      throw k.error(
          entry,
          Problem.INVALID_PATCH,
          "cannot patch " + target.describe() + ": " + e.getMessage(),
          e);
    }
    if (merged == null || merged.isEmpty()) {
      ra.remove(target);
      return;
    }
    target.body = merged;
    if (!allowKind) {
      target.setKind(kind);
    }
    if (!allowName) {
      target.setName(name);
    }
    target.setNamespace(namespace);
  }

  /** kustomize's {@code ResMap.Select}: names and namespaces match the original or current one. */
  static List<Res> select(Kust k, String entry, JsonNode t, List<Res> ra) {
    if (!t.isObject()) {
      throw k.error(entry, Problem.INVALID_VALUE, "must be a map", null);
    }
    Gvk gvk =
        new Gvk(
            k.str(t, "group", entry + ".group"),
            k.str(t, "version", entry + ".version"),
            k.str(t, "kind", entry + ".kind"));
    Pattern name = regex(k, entry + ".name", k.str(t, "name", entry + ".name"));
    Pattern ns = regex(k, entry + ".namespace", k.str(t, "namespace", entry + ".namespace"));
    Selector labels =
        Selector.parse(
            k, entry + ".labelSelector", k.str(t, "labelSelector", entry + ".labelSelector"));
    Selector annotations =
        Selector.parse(
            k,
            entry + ".annotationSelector",
            k.str(t, "annotationSelector", entry + ".annotationSelector"));
    List<Res> out = new ArrayList<>();
    for (Res r : ra) {
      ResId org = r.orgId();
      ResId cur = r.curId();
      if (ns != null
          && !ns.matcher(org.effectiveNamespace()).matches()
          && !ns.matcher(cur.effectiveNamespace()).matches()) {
        continue;
      }
      if (name != null
          && !name.matcher(org.name()).matches()
          && !name.matcher(cur.name()).matches()) {
        continue;
      }
      if (!cur.gvk().selectedBy(gvk)) {
        continue;
      }
      if (labels != null && !labels.matches(stringsOf(r, "labels"))) {
        continue;
      }
      if (annotations != null && !annotations.matches(stringsOf(r, "annotations"))) {
        continue;
      }
      out.add(r);
    }
    return out;
  }

  private static Map<String, String> stringsOf(Res r, String field) {
    Map<String, String> m = new LinkedHashMap<>();
    JsonNode n = r.body.path("metadata").path(field);
    if (n.isObject()) {
      n.forEachEntry((key, v) -> m.put(key, v.asString()));
    }
    return m;
  }

  static Pattern regex(Kust k, String entry, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    // RE2 syntax and linear-time matching, as kustomize's Go regexp: no target can stall a build
    try {
      return Pattern.compile("^(?:" + value + ")$");
    } catch (PatternSyntaxException e) {
      throw k.error(
          entry,
          Problem.INVALID_VALUE,
          "is not a valid regular expression: " + e.getDescription(),
          e);
    }
  }
}
