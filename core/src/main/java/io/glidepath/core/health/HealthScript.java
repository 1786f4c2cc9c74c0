package io.glidepath.core.health;

import io.glidepath.core.Origin;
import java.util.Objects;

/**
 * A health check written as a script in Argo CD's contract: a Lua script that reads the live object
 * as the global {@code obj} and returns a table with {@code status} (an Argo CD health word) and
 * {@code message}. An {@code argocd-cm} holds these under {@code
 * resource.customizations.health.<group>_<kind>}; {@link io.glidepath.core.argocd.ArgoCdSettings}
 * reads them. A {@link HealthScriptEngine} (module {@code glidepath-health-lua}) runs them.
 *
 * @param key where the script came from, for messages: the ConfigMap key ({@code
 *     resource.customizations.health.cert-manager.io_Certificate})
 * @param group API group pattern ({@code ""} for the core group; {@code *} matches any run of
 *     characters)
 * @param kind kind pattern
 * @param source the Lua source
 * @param useOpenLibs Argo CD's {@code useOpenLibs}: open all of Lua's standard libraries, not only
 *     the safe subset
 * @param origin the file (or cluster object) the script was read from
 */
public record HealthScript(
    String key, String group, String kind, String source, boolean useOpenLibs, Origin origin) {
  public HealthScript {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(origin, "origin");
    if (kind.isEmpty()) {
      throw new IllegalArgumentException("kind must not be empty for " + key);
    }
  }

  @Override
  public String toString() {
    return "HealthScript{" + key + ", " + source.length() + " chars}";
  }
}
