package io.glidepath.kustomize.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * kustomize's replica count transformer: sets the count at the {@code replicas} field specs
 * (Deployments, ReplicaSets, ReplicationControllers, StatefulSets by default) of every object whose
 * current or earlier name is the one given. No match at all is an error.
 */
final class ReplicaTransformer {
  private ReplicaTransformer() {}

  /**
   * Sets the count.
   *
   * @throws PatchException when no object of a replica type has the name
   */
  static void apply(List<Res> ra, String name, long count, List<FieldSpec> specs) {
    boolean found = false;
    for (FieldSpec fs : specs) {
      for (Res r : ra) {
        boolean matches = false;
        for (ResId id : r.anyIds()) {
          if (id.name().equals(name) && id.gvk().selectedBy(fs.gvk())) {
            matches = true;
            break;
          }
        }
        if (!matches) {
          continue;
        }
        found = true;
        if (!fs.applies(r.gvk())) {
          continue;
        }
        fs.apply(r.body, FieldSpec.Leaf.SCALAR, (parent, field) -> parent.put(field, count));
      }
    }
    if (!found) {
      List<String> gvks = new ArrayList<>();
      specs.forEach(fs -> gvks.add(fs.gvk().toString()));
      throw new PatchException(
          "resource with name " + name + " does not match a config with the following GVK " + gvks);
    }
  }
}
