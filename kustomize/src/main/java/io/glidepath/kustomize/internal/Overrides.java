package io.glidepath.kustomize.internal;

import io.glidepath.core.render.KustomizeOptions;
import io.glidepath.kustomize.KustomizeException.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Argo CD's {@code spec.source.kustomize} overrides, applied to the top kustomization the way Argo
 * CD applies them: as if {@code kustomize edit set nameprefix/namesuffix/namespace/image/replicas}
 * and {@code kustomize edit add label/annotation} had been run on the file before the build.
 *
 * <ul>
 *   <li>{@code set nameprefix}, {@code set namesuffix}, {@code set namespace} replace the field.
 *   <li>{@code set image ARG}: {@code ARG} is {@code name=newName[:tag][@digest]} or {@code
 *       name:tag}, {@code name@digest}, {@code name:tag@digest}. An {@code images} entry with the
 *       same name is updated (a new tag drops the old digest and a new digest the old tag); else
 *       one is added. Anything else ({@code nginx} alone) is an error, as in kustomize.
 *   <li>{@code set replicas name=count}: the entry with that name gets the count, else one is
 *       added.
 *   <li>{@code add label} / {@code add annotation}: added to {@code commonLabels} / {@code
 *       commonAnnotations}; a key the file already has is an error unless forced ({@code --force},
 *       Argo CD's {@code forceCommonLabels}/{@code forceCommonAnnotations}), then the new value
 *       wins.
 * </ul>
 */
final class Overrides {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Overrides() {}

  static void apply(Kust k, KustomizeOptions o) {
    ObjectNode doc = k.doc;
    if (!o.namePrefix().isEmpty()) {
      doc.put("namePrefix", o.namePrefix());
    }
    if (!o.nameSuffix().isEmpty()) {
      doc.put("nameSuffix", o.nameSuffix());
    }
    if (!o.namespace().isEmpty()) {
      doc.put("namespace", o.namespace());
    }
    for (int i = 0; i < o.images().size(); i++) {
      setImage(k, "spec.source.kustomize.images[" + i + "]", o.images().get(i));
    }
    for (KustomizeOptions.Replica r : o.replicas()) {
      setReplicas(k, r);
    }
    add(k, "commonLabels", o.commonLabels(), o.forceCommonLabels(), "forceCommonLabels");
    add(
        k,
        "commonAnnotations",
        o.commonAnnotations(),
        o.forceCommonAnnotations(),
        "forceCommonAnnotations");
  }

  /** An image argument of {@code kustomize edit set image}, parsed. */
  private record ImageArg(String name, String newName, String tag, String digest) {}

  private static ImageArg parseImage(Kust k, String entry, String arg) {
    int eq = arg.indexOf('=');
    if (eq >= 0) {
      String name = arg.substring(0, eq);
      String[] ref = splitReference(arg.substring(eq + 1));
      if (name.isEmpty() || ref[0].isEmpty()) {
        throw invalidImage(k, entry, arg);
      }
      return new ImageArg(name, ref[0], ref[1], ref[2]);
    }
    String[] ref = splitReference(arg);
    if (ref[0].isEmpty() || (ref[1].isEmpty() && ref[2].isEmpty())) {
      throw invalidImage(k, entry, arg);
    }
    return new ImageArg(ref[0], "", ref[1], ref[2]);
  }

  /**
   * {@code name[:tag][@digest]} as {name, tag, digest}; the tag's colon is after the last slash.
   */
  private static String[] splitReference(String ref) {
    String digest = "";
    int at = ref.indexOf('@');
    if (at >= 0) {
      digest = ref.substring(at + 1);
      ref = ref.substring(0, at);
    }
    String tag = "";
    int colon = ref.lastIndexOf(':');
    if (colon > ref.lastIndexOf('/')) {
      tag = ref.substring(colon + 1);
      ref = ref.substring(0, colon);
    }
    return new String[] {ref, tag, digest};
  }

  private static RuntimeException invalidImage(Kust k, String entry, String arg) {
    return k.error(
        entry,
        Problem.INVALID_VALUE,
        "image override \""
            + arg
            + "\" must be name=newName[:tag][@digest], name:tag or name@digest"
            + " (kustomize edit set image)",
        null);
  }

  private static void setImage(Kust k, String entry, String arg) {
    ImageArg im = parseImage(k, entry, arg);
    ArrayNode images = list(k, "images");
    for (JsonNode n : images) {
      if (n instanceof ObjectNode existing && existing.path("name").asString("").equals(im.name)) {
        if (!im.newName.isEmpty()) {
          existing.put("newName", im.newName);
        }
        if (!im.tag.isEmpty()) {
          existing.put("newTag", im.tag);
          if (im.digest.isEmpty()) {
            existing.remove("digest");
          }
        }
        if (!im.digest.isEmpty()) {
          existing.put("digest", im.digest);
          if (im.tag.isEmpty()) {
            existing.remove("newTag");
          }
        }
        return;
      }
    }
    ObjectNode added = images.addObject();
    added.put("name", im.name);
    if (!im.newName.isEmpty()) {
      added.put("newName", im.newName);
    }
    if (!im.tag.isEmpty()) {
      added.put("newTag", im.tag);
    }
    if (!im.digest.isEmpty()) {
      added.put("digest", im.digest);
    }
  }

  private static void setReplicas(Kust k, KustomizeOptions.Replica r) {
    ArrayNode replicas = list(k, "replicas");
    for (JsonNode n : replicas) {
      if (n instanceof ObjectNode existing && existing.path("name").asString("").equals(r.name())) {
        existing.put("count", r.count());
        return;
      }
    }
    replicas.addObject().put("name", r.name()).put("count", r.count());
  }

  private static void add(
      Kust k, String field, Map<String, String> values, boolean force, String flag) {
    if (values.isEmpty()) {
      return;
    }
    JsonNode current = k.doc.get(field);
    ObjectNode map;
    if (current == null || current.isNull()) {
      map = k.doc.putObject(field);
    } else if (current instanceof ObjectNode o) {
      map = o;
    } else {
      throw k.error(field, Problem.INVALID_VALUE, "must be a map of strings", null);
    }
    List<String> clashes = new ArrayList<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (map.has(e.getKey()) && !force) {
        clashes.add(e.getKey());
      }
    }
    if (!clashes.isEmpty()) {
      throw k.error(
          field + "." + clashes.get(0),
          Problem.CONFLICT,
          "the Application's spec.source.kustomize."
              + field
              + " sets "
              + clashes
              + ", which the kustomization already has; set spec.source.kustomize."
              + flag
              + ": true to let the Application's value win (kustomize edit add --force)",
          null);
    }
    values.forEach((key, value) -> map.set(key, F.stringNode(value)));
  }

  private static ArrayNode list(Kust k, String field) {
    JsonNode current = k.doc.get(field);
    if (current == null || current.isNull()) {
      return k.doc.putArray(field);
    }
    if (current instanceof ArrayNode a) {
      return a;
    }
    throw k.error(field, Problem.INVALID_VALUE, "must be a list", null);
  }
}
