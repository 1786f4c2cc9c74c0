package io.glidepath.kube.controller;

import java.util.Objects;

/**
 * Something wrong with an application that a reconcile found, like Argo CD's application
 * conditions.
 *
 * @param type what kind of problem
 * @param message a sentence naming the resource, the rule and the project
 */
public record AppCondition(Type type, String message) {
  public AppCondition {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(message, "message");
  }

  /** The kinds of condition. */
  public enum Type {
    /** The app's project does not permit its source, destination or a resource; nothing synced. */
    PROJECT_VIOLATION,
    /** A sync window of the app's project blocks the sync now; it runs when the block ends. */
    SYNC_WINDOW_BLOCKED,
    /**
     * A resource in the app's destination namespace that no application owns, reported when the
     * project sets {@code orphanedResources}; a warning only.
     */
    ORPHANED_RESOURCE_WARNING,
    /**
     * A resource of the desired state whose kind {@code argocd-cm}'s {@code resource.exclusions} /
     * {@code resource.inclusions} exclude ({@link ApplicationController.Builder#settings}): it is
     * left out of the comparison and the sync, and live objects of its kind are neither watched,
     * compared nor pruned. Argo CD's {@code ExcludedResourceWarning}, with its message ({@code
     * Resource apps/Deployment web is excluded in the settings}); written to the Application
     * object's {@code status.conditions}. A warning only.
     */
    EXCLUDED_RESOURCE_WARNING,
    /**
     * The app's Argo CD {@code Application} object has a spec Glidepath cannot use (Argo CD's
     * {@code InvalidSpecError}): a required field missing, an unknown field, a bad value. The
     * message names the field ({@code spec.syncPolicy.retry.limit}); nothing is compared or synced
     * until the object is fixed. Written to the object's {@code status.conditions}.
     */
    INVALID_SPEC,
    /**
     * The app could not be compared or reconciled (Argo CD's {@code ComparisonError}): its
     * destination cluster cannot be reached, a resource is outside what the cluster Secret lets
     * Glidepath manage ({@code namespaces}, {@code clusterResources}), its desired state could not
     * be rendered or read, a resource could not be compared (a malformed Secret), or something
     * failed unexpectedly. The app's sync status is Unknown and nothing is synced this time; the
     * message names the cause, and the controller's loop keeps running for this and every other
     * app.
     */
    COMPARISON_ERROR
  }

  @Override
  public String toString() {
    return type + ": " + message;
  }
}
