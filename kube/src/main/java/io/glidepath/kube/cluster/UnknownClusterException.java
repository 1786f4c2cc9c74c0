package io.glidepath.kube.cluster;

import io.glidepath.core.GlidepathException;

/**
 * An Application's destination names no cluster the registry knows (or names it twice over, by
 * {@code name} and {@code server}). The message is Argo CD's, as its {@code InvalidSpecError}
 * condition says it.
 */
public final class UnknownClusterException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  public UnknownClusterException(String message) {
    super(message);
  }
}
