package io.glidepath.kube;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.resource.ResourceKey;
import java.util.Optional;

/**
 * A Kubernetes API call failed: carries the resource, the HTTP status and the API's reason.
 *
 * <p>{@code status()} is 0 when no answer was received (connection error or timeout).
 */
public class KubeException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  private final transient ResourceKey key;
  private final int status;
  private final String reason;

  public KubeException(ResourceKey key, int status, String reason, String message) {
    super(message);
    this.key = key;
    this.status = status;
    this.reason = reason == null ? "" : reason;
  }

  public KubeException(ResourceKey key, String message, Throwable cause) {
    super(message, cause);
    this.key = key;
    this.status = 0;
    this.reason = "";
  }

  /** The resource the call was about, when it was about one. */
  public Optional<ResourceKey> key() {
    return Optional.ofNullable(key);
  }

  /** The HTTP status, or 0 when there was no answer. */
  public int status() {
    return status;
  }

  /** The API's reason ({@code NotFound}, {@code Conflict}, ...), or "". */
  public String reason() {
    return reason;
  }
}
