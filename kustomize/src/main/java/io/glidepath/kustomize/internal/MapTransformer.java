package io.glidepath.kustomize.internal;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * kustomize's label and annotation transformers: put key/value pairs into every map the field specs
 * name (creating it where the spec says so), in objects of the spec's type.
 */
final class MapTransformer {
  private MapTransformer() {}

  static void apply(List<Res> ra, List<FieldSpec> specs, Map<String, String> pairs) {
    if (pairs.isEmpty()) {
      return;
    }
    for (Res r : ra) {
      Gvk gvk = r.gvk();
      for (FieldSpec fs : specs) {
        if (!fs.applies(gvk)) {
          continue;
        }
        fs.apply(
            r.body,
            FieldSpec.Leaf.MAP,
            (parent, field) -> {
              JsonNode m = parent.get(field);
              if (m instanceof ObjectNode o) {
                pairs.forEach(o::put);
              }
            });
      }
    }
  }
}
