package io.glidepath.kustomize.internal;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.Utf8;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.PathEscapeException;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlReader;
import io.glidepath.kustomize.KustomizeException;
import io.glidepath.kustomize.KustomizeException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds and reads a kustomization file the way kustomize does: one of {@code kustomization.yaml},
 * {@code kustomization.yml} or {@code Kustomization} (several is an error), a key given twice keeps
 * its last value, field names match in any letter case, deprecated spellings ({@code imageTags},
 * {@code patches} as a list of file names) are read as their successors, unknown fields are
 * refused, and {@code kind}/{@code apiVersion} must be Kustomization ({@code
 * kustomize.config.k8s.io/v1beta1}) or Component ({@code kustomize.config.k8s.io/v1alpha1}).
 */
final class KustLoader {
  static final String KUSTOMIZATION_VERSION = "kustomize.config.k8s.io/v1beta1";
  static final String COMPONENT_VERSION = "kustomize.config.k8s.io/v1alpha1";

  /** Fields kustomize knows but Glidepath does not render yet. */
  static final Set<String> UNSUPPORTED = Set.of("validators");

  private static final YamlReader READER =
      Yaml.reader().withDuplicateKeys(YamlReader.DuplicateKeys.LAST_WINS);

  private final FileAccess files;

  KustLoader(FileAccess files) {
    this.files = files;
  }

  /**
   * The kustomization in {@code dir}.
   *
   * @param entry the entry of {@code parent} that names the directory, for messages
   * @param parent the kustomization that names it, or null at the top
   */
  Kust load(Path dir, String entry, Kust parent) {
    String relDir = files.relative(dir);
    String shownDir = relDir.isEmpty() ? "." : relDir;
    List<Path> found = new ArrayList<>();
    for (String name : ManifestRenderer.KUSTOMIZATION_FILES) {
      if (Files.isRegularFile(dir.resolve(name))) {
        found.add(dir.resolve(name));
      }
    }
    if (found.isEmpty()) {
      String detail =
          "directory "
              + shownDir
              + " has no kustomization.yaml, kustomization.yml or Kustomization";
      if (parent == null) {
        throw new KustomizeException(shownDir, entry, Problem.MISSING_FILE, detail, null);
      }
      throw parent.error(entry, Problem.MISSING_FILE, detail, null);
    }
    if (found.size() > 1) {
      List<String> names = new ArrayList<>();
      found.forEach(p -> names.add(p.getFileName().toString()));
      throw new KustomizeException(
          shownDir,
          "(directory)",
          Problem.CONFLICT,
          "found multiple kustomization files " + names + "; kustomize needs exactly one",
          null);
    }
    Path file = found.get(0);
    String rel = files.relative(file);
    Path real;
    try {
      real = files.pathsFor(dir).checkReal(file, rel, "kustomization");
    } catch (PathEscapeException e) {
      if (parent == null) {
        throw new KustomizeException(rel, entry, Problem.PATH_ESCAPE, e.getMessage(), e);
      }
      throw parent.error(entry, Problem.PATH_ESCAPE, e.getMessage(), e);
    }
    String content;
    try {
      content = Utf8.read(real, rel);
    } catch (IOException e) {
      throw new KustomizeException(
          rel, "(file)", Problem.MISSING_FILE, "cannot read: " + e.getMessage(), e);
    }
    JsonNode doc;
    try {
      doc = READER.readTree(content, rel);
    } catch (GlidepathException e) {
      throw new KustomizeException(rel, "(file)", Problem.INVALID_VALUE, e.getMessage(), e);
    }
    if (doc.isNull()) {
      doc = JsonNodeFactory.instance.objectNode();
    }
    if (!doc.isObject()) {
      throw new KustomizeException(
          rel, "(file)", Problem.INVALID_VALUE, "must be a map of fields", null);
    }
    ObjectNode fixed =
        (ObjectNode) Schema.normalize(deprecated((ObjectNode) doc), Schema.KUSTOMIZATION);
    Kust k = new Kust(dir, rel, fixed);
    String unknown = Schema.firstUnknown(fixed, Schema.KUSTOMIZATION, "");
    if (unknown != null) {
      throw k.error(
          unknown,
          Problem.UNKNOWN_FIELD,
          "unknown field \"" + unknown + "\" (kustomize v5 has no such field)",
          null);
    }
    for (String u : UNSUPPORTED) {
      if (fixed.has(u)) {
        throw k.error(
            u, Problem.UNSUPPORTED_FIELD, "Glidepath does not render \"" + u + "\" yet", null);
      }
    }
    if (isEmpty(fixed)) {
      throw k.error(
          "(file)",
          Problem.INVALID_VALUE,
          "the kustomization is empty: it sets no field besides apiVersion and kind, which"
              + " kustomize refuses",
          null);
    }
    checkKind(k);
    // kustomize appends the deprecated bases to resources
    if (fixed.has("bases")) {
      ArrayNode resources = JsonNodeFactory.instance.arrayNode();
      for (String field : List.of("resources", "bases")) {
        JsonNode n = fixed.get(field);
        if (n != null && n.isArray()) {
          resources.addAll((ArrayNode) n);
        } else if (n != null && !n.isNull()) {
          throw k.error(field, Problem.INVALID_VALUE, "must be a list", null);
        }
      }
      fixed.remove("bases");
      fixed.set("resources", resources);
    }
    return k;
  }

  /**
   * kustomize's CheckEmpty: every field other than apiVersion and kind holds its Go zero value (a
   * null, an empty string, false, 0, or an empty metadata map); an empty list or map is a value.
   */
  private static boolean isEmpty(ObjectNode doc) {
    for (var e : doc.properties()) {
      String field = e.getKey();
      JsonNode v = e.getValue();
      if (field.equals("apiVersion") || field.equals("kind") || v.isNull()) {
        continue;
      }
      boolean zero =
          (v.isString() && v.stringValue().isEmpty())
              || (v.isBoolean() && !v.booleanValue())
              || (v.isNumber() && v.asDouble() == 0)
              || (field.equals("metadata") && v.isObject() && v.isEmpty());
      if (!zero) {
        return false;
      }
    }
    return true;
  }

  private static ObjectNode deprecated(ObjectNode doc) {
    if (doc.has("imageTags")) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      doc.forEachEntry((key, v) -> out.set(key.equals("imageTags") ? "images" : key, v));
      return out;
    }
    return doc;
  }

  private static void checkKind(Kust k) {
    String kind = k.string("kind");
    String apiVersion = k.string("apiVersion");
    if (!kind.isEmpty() && !kind.equals("Kustomization") && !kind.equals("Component")) {
      throw k.error(
          "kind",
          Problem.INVALID_VALUE,
          "kind should be Kustomization or Component, but is " + kind,
          null);
    }
    String required = kind.equals("Component") ? COMPONENT_VERSION : KUSTOMIZATION_VERSION;
    if (!apiVersion.isEmpty() && !apiVersion.equals(required)) {
      throw k.error(
          "apiVersion",
          Problem.INVALID_VALUE,
          "apiVersion for "
              + (kind.isEmpty() ? "Kustomization" : kind)
              + " should be "
              + required
              + ", but is "
              + apiVersion,
          null);
    }
  }
}
