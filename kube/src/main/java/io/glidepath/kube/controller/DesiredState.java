package io.glidepath.kube.controller;

import io.glidepath.core.resource.ResourceSet;
import java.util.Objects;
import java.util.Optional;

/**
 * What Git says the app should be: the rendered resources, the revision (commit plus parameters)
 * they were rendered from and, when known, how they were rendered. Auto-sync happens once per
 * revision unless selfHeal is on.
 *
 * <pre>{@code
 * RenderResult rendered = ManifestRenderer.detect(request.appDir()).render(request);
 * DesiredState state = new DesiredState(commit.sha(), rendered.resources(), SourceType.of(rendered));
 * }</pre>
 *
 * @param revision identifies the source state, e.g. {@code "3f2a9c1"} or a commit plus a hash of
 *     the parameters
 * @param resources the rendered resources
 * @param sourceType Helm, Kustomize or a plain directory, as the renderer detected it; empty when
 *     the caller does not say (the Application's {@code status.sourceType} is then left out)
 */
public record DesiredState(
    String revision, ResourceSet resources, Optional<SourceType> sourceType) {
  public DesiredState {
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(sourceType, "sourceType");
  }

  /** A desired state whose source type is not known. */
  public DesiredState(String revision, ResourceSet resources) {
    this(revision, resources, Optional.empty());
  }
}
