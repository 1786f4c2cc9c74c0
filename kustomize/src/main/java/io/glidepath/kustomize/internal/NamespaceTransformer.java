package io.glidepath.kustomize.internal;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * kustomize's namespace transformer: sets {@code metadata.namespace} of every namespaced object,
 * renames core {@code v1} Namespace objects to the namespace, sets the other namespace fields the
 * {@code namespace} field specs name (a CRD's conversion webhook service, an APIService's service),
 * and the namespace of RoleBinding subjects as {@code roleBindingSubjects} says (by default only
 * subjects named {@code default}, whatever their kind).
 */
final class NamespaceTransformer {
  /** Which RoleBinding and ClusterRoleBinding subjects get the namespace. */
  enum Subjects {
    DEFAULT_ONLY,
    NONE,
    ALL_SERVICE_ACCOUNTS
  }

  private NamespaceTransformer() {}

  static void apply(
      List<Res> ra, String ns, List<FieldSpec> specs, boolean unsetOnly, Subjects subjects) {
    for (Res r : ra) {
      r.storePreviousId();
      List<FieldSpec> rest = new ArrayList<>();
      for (FieldSpec fs : specs) {
        if (fs.path().equals("metadata/namespace")) {
          continue;
        }
        if (fs.path().equals("metadata/name") && !r.apiVersion().equals("v1")) {
          continue;
        }
        if (fs.path().equals("subjects") && isBinding(r)) {
          continue;
        }
        rest.add(fs);
      }
      if (!r.clusterScoped()) {
        ObjectNode meta = r.body.withObjectProperty("metadata");
        set(meta, "namespace", ns, unsetOnly);
      }
      if (isBinding(r) && subjects != Subjects.NONE) {
        JsonNode list = r.body.get("subjects");
        if (list != null && list.isArray()) {
          for (JsonNode s : list) {
            if (!s.isObject()) {
              continue;
            }
            // kustomize's defaultOnly looks at the name alone, whatever the subject's kind
            if (subjects == Subjects.DEFAULT_ONLY
                ? !"default".equals(s.path("name").asString(""))
                : !"ServiceAccount".equals(s.path("kind").asString(""))) {
              continue;
            }
            set((ObjectNode) s, "namespace", ns, unsetOnly);
          }
        }
      }
      for (FieldSpec fs : rest) {
        if (!fs.applies(r.gvk())) {
          continue;
        }
        fs.apply(
            r.body, FieldSpec.Leaf.SCALAR, (parent, field) -> set(parent, field, ns, unsetOnly));
      }
    }
  }

  private static boolean isBinding(Res r) {
    return r.kind().equals("RoleBinding") || r.kind().equals("ClusterRoleBinding");
  }

  private static void set(ObjectNode parent, String field, String ns, boolean unsetOnly) {
    JsonNode v = parent.get(field);
    if (unsetOnly && v != null && !v.isNull() && !v.asString().isEmpty()) {
      return;
    }
    parent.put(field, ns);
  }
}
