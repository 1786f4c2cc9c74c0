package io.glidepath.core.internal.health;

import io.glidepath.core.resource.Resource;
import tools.jackson.databind.JsonNode;

/** Argo CD's hook annotations and finalizer, as health sees them. */
final class Hooks {
  static final String HOOK_FINALIZER = "argocd.argoproj.io/hook-finalizer";

  private Hooks() {}

  /** Whether the object is an Argo CD or Helm hook. */
  static boolean isHook(Resource live) {
    var annotations = live.annotations();
    return annotations.containsKey("argocd.argoproj.io/hook")
        || annotations.containsKey("helm.sh/hook");
  }

  /** Whether the object carries Argo CD's hook finalizer (its deletion is then not "pending"). */
  static boolean hasHookFinalizer(Resource live) {
    for (JsonNode f : live.body().path("metadata").path("finalizers")) {
      if (HOOK_FINALIZER.equals(f.asString(""))) {
        return true;
      }
    }
    return false;
  }
}
