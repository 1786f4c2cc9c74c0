package io.glidepath.kustomize.internal;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * kustomize's prefix and suffix transformers: add a prefix and/or suffix to the fields the {@code
 * namePrefix}/{@code nameSuffix} field specs name (by default {@code metadata/name} of everything
 * but CustomResourceDefinitions, APIServices and Namespaces), remembering the earlier name so that
 * references and later patches can still find the object.
 */
final class NameTransformer {
  private static final List<Gvk> SKIPPED =
      List.of(
          new Gvk("", "", "CustomResourceDefinition"),
          new Gvk("apiregistration.k8s.io", "", "APIService"),
          new Gvk("", "", "Namespace"));

  private NameTransformer() {}

  static void apply(List<Res> ra, String prefix, String suffix, List<FieldSpec> specs) {
    for (Res r : ra) {
      Gvk org = r.orgId().gvk();
      if (SKIPPED.stream().anyMatch(org::selectedBy)) {
        continue;
      }
      for (FieldSpec fs : specs) {
        if (!org.selectedBy(fs.gvk())) {
          continue;
        }
        if (fs.path().equals("metadata/name")) {
          if (!prefix.isEmpty()) {
            r.prefixes.add(prefix);
          }
          if (!suffix.isEmpty()) {
            r.suffixes.add(suffix);
          }
          if (!prefix.isEmpty() || !suffix.isEmpty()) {
            r.storePreviousId();
          }
        }
        if (!r.gvk().selectedBy(fs.gvk())) {
          continue;
        }
        fs.apply(
            r.body,
            FieldSpec.Leaf.NONE,
            (parent, field) -> {
              JsonNode v = parent.get(field);
              if (v != null && v.isValueNode() && !v.isNull()) {
                parent.put(field, prefix + v.asString() + suffix);
              }
            });
      }
    }
  }
}
