package io.glidepath.rollout;

import io.glidepath.core.GlidepathException;

/** The root of the rollout module's errors. */
public class RolloutException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  public RolloutException(String message) {
    super(message);
  }

  public RolloutException(String message, Throwable cause) {
    super(message, cause);
  }
}
