package io.glidepath.kustomize.internal;

import io.glidepath.core.GlidepathException;

/**
 * A patch that cannot be applied; the build turns it into a {@code KustomizeException} naming the
 * kustomization file and entry.
 */
public final class PatchException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  public PatchException(String message) {
    super(message);
  }
}
