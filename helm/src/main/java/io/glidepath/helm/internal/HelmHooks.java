package io.glidepath.helm.internal;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code helm template} does with hooks, applied to the embedded Helm's output (which, thanks
 * to {@link RenderCopy}, holds the hooks as ordinary manifests): hooks come after the other
 * manifests; a hook naming a hook type Helm does not know (Helm 3 dropped {@code crd-install}) is
 * left out, as Helm leaves it out; with {@code --skip-tests}, test hooks are left out.
 */
public final class HelmHooks {
  static final String ANNOTATION = "helm.sh/hook";

  /** The hook types Helm 3 knows ({@code test-success} is Helm 2's spelling of {@code test}). */
  private static final Set<String> KNOWN =
      Set.of(
          "pre-install",
          "post-install",
          "pre-delete",
          "post-delete",
          "pre-upgrade",
          "post-upgrade",
          "pre-rollback",
          "post-rollback",
          "test",
          "test-success");

  private HelmHooks() {}

  /**
   * The resources as {@code helm template} prints them.
   *
   * @param skipped receives one line per hook left out, naming it and why
   */
  public static ResourceSet order(ResourceSet rendered, boolean skipTests, List<String> skipped) {
    List<Resource> manifests = new ArrayList<>();
    List<Resource> hooks = new ArrayList<>();
    for (Resource r : rendered) {
      String types = r.annotations().get(ANNOTATION);
      if (types == null) {
        manifests.add(r);
        continue;
      }
      boolean test = false;
      String unknown = null;
      for (String part : types.split(",")) {
        String t = part.trim().toLowerCase(Locale.ROOT);
        if (!KNOWN.contains(t)) {
          unknown = part.trim();
          break;
        }
        test |= t.equals("test") || t.equals("test-success");
      }
      if (unknown != null) {
        skipped.add(
            r.key()
                + " ("
                + r.origin().source()
                + ") is left out: Helm skips the unknown hook type \""
                + unknown
                + "\"");
      } else if (!(test && skipTests)) {
        hooks.add(r);
      }
    }
    manifests.addAll(hooks);
    return ResourceSet.of(manifests);
  }
}
