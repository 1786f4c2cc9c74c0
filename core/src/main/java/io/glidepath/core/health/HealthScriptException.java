package io.glidepath.core.health;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.Origin;
import java.util.Objects;

/**
 * A health script that cannot be used: it does not compile, it returns no table, it returns a
 * status that is not one of Argo CD's words, or no engine to run it is on the class path. The
 * message names the script's key ({@code
 * resource.customizations.health.cert-manager.io_Certificate}) and the file it came from.
 *
 * <p>Thrown when a script is loaded (compile errors, a missing engine) and by the script's check
 * when it runs (the assessor turns that into {@link HealthStatus#UNKNOWN} with this message, as
 * Argo CD does).
 */
public class HealthScriptException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final transient Origin origin;

  public HealthScriptException(String key, Origin origin, String problem) {
    super(key + " (" + origin + "): " + problem);
    this.key = Objects.requireNonNull(key, "key");
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  public HealthScriptException(String key, Origin origin, String problem, Throwable cause) {
    super(key + " (" + origin + "): " + problem, cause);
    this.key = Objects.requireNonNull(key, "key");
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  /** The key of the script ({@code resource.customizations.health.<group>_<kind>}). */
  public String key() {
    return key;
  }

  /** Where the script was read from. */
  public Origin origin() {
    return origin;
  }
}
