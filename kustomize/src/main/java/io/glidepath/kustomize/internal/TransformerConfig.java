package io.glidepath.kustomize.internal;

import io.glidepath.core.yaml.Yaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The field specs kustomize's built-in transformers use (its {@code TransformerConfig}): where name
 * prefixes, namespaces, labels, annotations, images and replicas go, which fields refer to objects
 * by name, and where {@code $(VAR)} may appear. Starts from kustomize v5.5's defaults and grows
 * with a kustomization's {@code configurations} and {@code crds}. Immutable.
 */
final class TransformerConfig {
  /** A type referred to by name, and the fields that refer to it. */
  record NameBackRef(Gvk gvk, List<FieldSpec> referrers) {}

  static final Set<String> FIELDS =
      Set.of(
          "namePrefix",
          "nameSuffix",
          "namespace",
          "commonLabels",
          "labels",
          "templateLabels",
          "commonAnnotations",
          "images",
          "replicas",
          "varReference",
          "nameReference");

  private static final TransformerConfig DEFAULTS = loadDefaults();

  final Map<String, List<FieldSpec>> specs;
  final List<NameBackRef> nameReference;

  private TransformerConfig(Map<String, List<FieldSpec>> specs, List<NameBackRef> nameReference) {
    this.specs = specs;
    this.nameReference = nameReference;
  }

  static TransformerConfig defaults() {
    return DEFAULTS;
  }

  static TransformerConfig empty() {
    return new TransformerConfig(Map.of(), List.of());
  }

  List<FieldSpec> get(String field) {
    return specs.getOrDefault(field, List.of());
  }

  private static TransformerConfig loadDefaults() {
    return parse(
        Yaml.readTree(DefaultTransformerConfig.YAML, DefaultTransformerConfig.FILE),
        DefaultTransformerConfig.FILE);
  }

  /**
   * A configuration file's content, in kustomize's format.
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  static TransformerConfig parse(JsonNode doc, String file) {
    Map<String, List<FieldSpec>> specs = new LinkedHashMap<>();
    List<NameBackRef> refs = new ArrayList<>();
    if (doc == null || doc.isNull()) {
      return empty();
    }
    if (!doc.isObject()) {
      throw new IllegalArgumentException(file + " must be a map of field spec lists");
    }
    for (Map.Entry<String, JsonNode> e : doc.properties()) {
      String field = e.getKey();
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            file
                + ": unknown field \""
                + field
                + "\" (known: "
                + new java.util.TreeSet<>(FIELDS)
                + ")");
      }
      if (e.getValue().isNull()) {
        continue;
      }
      if (!e.getValue().isArray()) {
        throw new IllegalArgumentException(file + ": " + field + " must be a list");
      }
      if (field.equals("nameReference")) {
        for (JsonNode r : e.getValue()) {
          List<FieldSpec> referrers = new ArrayList<>();
          for (JsonNode fs : r.path("fieldSpecs")) {
            referrers.add(spec(fs, file, field));
          }
          refs.add(new NameBackRef(Gvk.selector(r), referrers));
        }
      } else {
        List<FieldSpec> list = specs.computeIfAbsent(field, k -> new ArrayList<>());
        for (JsonNode fs : e.getValue()) {
          list.add(spec(fs, file, field));
        }
      }
    }
    return new TransformerConfig(specs, refs);
  }

  static FieldSpec spec(JsonNode fs, String file, String field) {
    if (!fs.isObject()) {
      throw new IllegalArgumentException(file + ": " + field + " entries must be maps");
    }
    JsonNode path = fs.get("path");
    if (path == null || !path.isString() || path.stringValue().isEmpty()) {
      throw new IllegalArgumentException(file + ": a " + field + " entry has no path");
    }
    return new FieldSpec(Gvk.selector(fs), path.stringValue(), fs.path("create").asBoolean(false));
  }

  /** This configuration with {@code other}'s specs added (kustomize's merge: no duplicates). */
  TransformerConfig merge(TransformerConfig other) {
    Map<String, List<FieldSpec>> specs = new LinkedHashMap<>();
    this.specs.forEach((k, v) -> specs.put(k, new ArrayList<>(v)));
    other.specs.forEach((k, v) -> specs.put(k, mergeSpecs(specs.getOrDefault(k, List.of()), v)));
    List<NameBackRef> refs = new ArrayList<>(nameReference);
    for (NameBackRef r : other.nameReference) {
      int at = -1;
      for (int i = 0; i < refs.size(); i++) {
        if (refs.get(i).gvk().equals(r.gvk())) {
          at = i;
          break;
        }
      }
      if (at < 0) {
        refs.add(r);
      } else {
        refs.set(at, new NameBackRef(r.gvk(), mergeSpecs(refs.get(at).referrers(), r.referrers())));
      }
    }
    return new TransformerConfig(specs, refs);
  }

  /**
   * {@code base} plus each spec of {@code added} that none of {@code base} covers, kustomize's
   * rule: a spec in {@code base} with the same path whose type the added spec selects. So a
   * narrower spec already there ({@code metadata/name} of {@code Gorilla}) keeps a wider one
   * ({@code metadata/name} of anything) out.
   */
  static List<FieldSpec> mergeSpecs(List<FieldSpec> base, List<FieldSpec> added) {
    List<FieldSpec> out = new ArrayList<>(base);
    for (FieldSpec fs : added) {
      boolean covered = false;
      for (FieldSpec have : out) {
        if (have.path().equals(fs.path()) && have.gvk().selectedBy(fs.gvk())) {
          covered = true;
          break;
        }
      }
      if (!covered) {
        out.add(fs);
      }
    }
    return out;
  }
}
