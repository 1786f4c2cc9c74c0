package io.glidepath.kube.controller;

import io.glidepath.core.app.Application;

/**
 * Produces the app's {@link DesiredState}: typically a Git snapshot rendered by Helm or Kustomize,
 * as {@link GitDesiredStateSource} does, or anything the caller composes. Called on the
 * controller's thread; may throw a {@link io.glidepath.core.GlidepathException}, which the
 * controller reports.
 *
 * <p>The controller calls {@link #fetch(Application)} with the app as it stands at that reconcile:
 * the spec of the app's Argo CD {@code Application} object when it exists in the cluster (so that
 * {@code kubectl edit application} of {@code targetRevision} or a Helm parameter takes effect),
 * else the app the controller was built with. A source whose output depends on the spec reads it
 * from that argument; the default ignores it and calls {@link #fetch()}.
 *
 * <pre>{@code
 * DesiredStateSource fixed = () -> new DesiredState("v1", resources);   // spec-independent
 * DesiredStateSource perSpec = new DesiredStateSource() {
 *   public DesiredState fetch() { throw new IllegalStateException("needs the app"); }
 *   public DesiredState fetch(Application app) { return render(app.source()); }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface DesiredStateSource {
  /** The current desired state. */
  DesiredState fetch();

  /**
   * The current desired state of {@code app}, the Application as the controller sees it at this
   * reconcile (same name as the controller's app; source, destination and policies may have changed
   * since the controller was built). Default: {@link #fetch()}.
   */
  default DesiredState fetch(Application app) {
    return fetch();
  }
}
