package io.glidepath.kube.controller;

import io.glidepath.core.resource.ResourceSet;
import java.util.Objects;

/**
 * What Git says the app should be: the rendered resources and the revision (commit plus parameters)
 * they were rendered from. Auto-sync happens once per revision unless selfHeal is on.
 *
 * @param revision identifies the source state, e.g. {@code "3f2a9c1"} or a commit plus a hash of
 *     the parameters
 * @param resources the rendered resources
 */
public record DesiredState(String revision, ResourceSet resources) {
  public DesiredState {
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(resources, "resources");
  }
}
