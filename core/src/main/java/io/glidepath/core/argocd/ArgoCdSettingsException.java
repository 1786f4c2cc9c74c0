package io.glidepath.core.argocd;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.Origin;
import java.util.Objects;

/**
 * An {@code argocd-cm} that cannot be used: not a ConfigMap, a key whose value does not parse, a
 * key Glidepath does not honour and would otherwise drop. The message names the file and the key.
 */
public class ArgoCdSettingsException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  private final transient Origin origin;
  private final String key;

  public ArgoCdSettingsException(Origin origin, String key, String problem) {
    super(origin + (key.isEmpty() ? "" : ": " + key) + ": " + problem);
    this.origin = Objects.requireNonNull(origin, "origin");
    this.key = Objects.requireNonNull(key, "key");
  }

  /** The file (or cluster object) the settings came from. */
  public Origin origin() {
    return origin;
  }

  /** The ConfigMap key at fault; {@code ""} when the whole object is. */
  public String key() {
    return key;
  }
}
