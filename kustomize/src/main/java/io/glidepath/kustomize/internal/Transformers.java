package io.glidepath.kustomize.internal;

import io.glidepath.kustomize.KustomizeException.Problem;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** kustomize's built-in transformers that are not patches: labels, images, replicas, names. */
final class Transformers {
  private static final Set<String> NOT_RENAMED =
      Set.of("CustomResourceDefinition", "APIService", "Namespace");
  private static final Set<String> SCALABLE =
      Set.of("Deployment", "ReplicationController", "ReplicaSet", "StatefulSet");

  private Transformers() {}

  /** Whether namePrefix and nameSuffix apply (kustomize skips CRDs, APIServices, Namespaces). */
  static boolean renamable(Res r) {
    return !NOT_RENAMED.contains(r.kind());
  }

  /** Puts {@code pairs} into the maps {@code specs} name. */
  static void addMap(List<Res> ra, List<FieldSpec> specs, Map<String, String> pairs) {
    for (Res r : ra) {
      for (FieldSpec spec : specs) {
        if (!spec.applies(r)) {
          continue;
        }
        spec.forEach(
            r.body,
            (parent, field) -> {
              JsonNode m = parent.get(field);
              if (m == null || m.isNull()) {
                if (!spec.create()) {
                  return;
                }
                m = parent.putObject(field);
              }
              if (m.isObject()) {
                pairs.forEach(((ObjectNode) m)::put);
              }
            });
      }
    }
  }

  /** Namespace fields besides metadata.namespace that kustomize's namespace transformer sets. */
  private static final List<FieldSpec> NAMESPACE_FIELDS =
      List.of(
          FieldSpec.of(
              "apiextensions.k8s.io",
              "CustomResourceDefinition",
              "spec/conversion/webhook/clientConfig/service/namespace",
              false),
          FieldSpec.of("apiregistration.k8s.io", "APIService", "spec/service/namespace", false));

  /**
   * The namespace transformer's changes besides metadata.namespace: RoleBinding subjects for the
   * ServiceAccount "default", a CRD's conversion webhook service, an APIService's service.
   */
  static void namespaceSubjects(Res r, String ns) {
    for (FieldSpec spec : NAMESPACE_FIELDS) {
      if (spec.applies(r)) {
        spec.forEach(
            r.body,
            (parent, field) -> {
              if (parent.has(field)) {
                parent.put(field, ns);
              }
            });
      }
    }
    if (!r.kind().equals("RoleBinding") && !r.kind().equals("ClusterRoleBinding")) {
      return;
    }
    JsonNode subjects = r.body.get("subjects");
    if (subjects == null || !subjects.isArray()) {
      return;
    }
    for (JsonNode s : subjects) {
      if (s.isObject()
          && "ServiceAccount".equals(s.path("kind").asString(""))
          && "default".equals(s.path("name").asString(""))) {
        ((ObjectNode) s).put("namespace", ns);
      }
    }
  }

  static void replicas(KustTarget.Kust k, String entry, JsonNode n, List<Res> ra) {
    String name = k.str(n, "name", entry + ".name");
    JsonNode count = n.get("count");
    if (name.isEmpty()) {
      throw k.error(entry + ".name", Problem.INVALID_VALUE, "is required", null);
    }
    if (count == null || !count.isIntegralNumber()) {
      throw k.error(entry + ".count", Problem.INVALID_VALUE, "must be an integer", null);
    }
    boolean found = false;
    for (Res r : ra) {
      if (!SCALABLE.contains(r.kind())) {
        continue;
      }
      for (Res.Id id : r.allIds()) {
        if (id.name().equals(name)) {
          r.body.withObjectProperty("spec").put("replicas", count.asLong());
          found = true;
          break;
        }
      }
    }
    if (!found) {
      throw k.error(
          entry,
          Problem.NO_PATCH_TARGET,
          "no Deployment, ReplicaSet, ReplicationController or StatefulSet is named \""
              + name
              + "\"",
          null);
    }
  }

  static void images(KustTarget.Kust k, String entry, JsonNode n, List<Res> ra) {
    String name = k.str(n, "name", entry + ".name");
    if (name.isEmpty()) {
      throw k.error(entry + ".name", Problem.INVALID_VALUE, "is required", null);
    }
    if (n.has("tagSuffix")) {
      throw k.error(
          entry + ".tagSuffix", Problem.UNSUPPORTED_FIELD, "is not rendered by Glidepath", null);
    }
    String newName = k.str(n, "newName", entry + ".newName");
    String newTag = k.str(n, "newTag", entry + ".newTag");
    String digest = k.str(n, "digest", entry + ".digest");
    Pattern match =
        Pattern.compile(
            "^" + Pattern.quote(name) + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9]*)?$");
    for (Res r : ra) {
      walkContainers(r.body, match, newName, newTag, digest);
    }
  }

  private static void walkContainers(
      JsonNode node, Pattern match, String newName, String newTag, String digest) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = e.getKey();
        JsonNode v = e.getValue();
        if ((key.equals("containers") || key.equals("initContainers")) && v.isArray()) {
          for (JsonNode c : v) {
            JsonNode image = c.get("image");
            if (c.isObject() && image != null && image.isString()) {
              String updated = update(image.stringValue(), match, newName, newTag, digest);
              if (updated != null) {
                ((ObjectNode) c).put("image", updated);
              }
            }
          }
        }
        walkContainers(v, match, newName, newTag, digest);
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        walkContainers(item, match, newName, newTag, digest);
      }
    }
  }

  /** The new image reference, or null when {@code image} is not the one to change. */
  static String update(String image, Pattern match, String newName, String newTag, String digest) {
    if (!match.matcher(image).matches()) {
      return null;
    }
    String[] parts = split(image);
    String name = parts[0];
    String tag = parts[1];
    String dig = parts[2];
    if (!newName.isEmpty()) {
      name = newName;
    }
    if (!newTag.isEmpty() && !digest.isEmpty()) {
      tag = newTag;
      dig = digest;
    } else if (!newTag.isEmpty()) {
      tag = newTag;
      dig = "";
    } else if (!digest.isEmpty()) {
      tag = "";
      dig = digest;
    }
    StringBuilder sb = new StringBuilder(name);
    if (!tag.isEmpty()) {
      sb.append(':').append(tag);
    }
    if (!dig.isEmpty()) {
      sb.append('@').append(dig);
    }
    return sb.toString();
  }

  /** Name, tag and digest of an image reference; a registry port is part of the name. */
  static String[] split(String image) {
    int slash = image.indexOf('/');
    int offset = slash > 0 ? slash : 0;
    String search = image.substring(offset);
    int at = search.indexOf('@');
    int colon = search.indexOf(':');
    if (colon < 0 && at < 0) {
      return new String[] {image, "", ""};
    }
    if (at >= 0 && (at < colon || colon < 0)) {
      return new String[] {image.substring(0, at + offset), "", image.substring(at + offset + 1)};
    }
    if (at >= 0) {
      return new String[] {
        image.substring(0, colon + offset),
        image.substring(colon + offset + 1, at + offset),
        image.substring(at + offset + 1)
      };
    }
    return new String[] {
      image.substring(0, colon + offset), image.substring(colon + offset + 1), ""
    };
  }
}
