package io.glidepath.kube.controller;

/**
 * Produces the app's {@link DesiredState}: typically a Git snapshot rendered by Helm or Kustomize,
 * as {@link GitDesiredStateSource} does, or anything the caller composes. Called on the
 * controller's thread; may throw a {@link io.glidepath.core.GlidepathException}, which the
 * controller reports.
 */
@FunctionalInterface
public interface DesiredStateSource {
  /** The current desired state. */
  DesiredState fetch();
}
