package io.glidepath.kube.controller;

import io.glidepath.core.resource.ResourceSet;
import java.util.List;
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
 * @param sources for a multi-source application, each source's revision and type in the
 *     application's order (Argo CD's {@code status.sync.revisions} and {@code status.sourceTypes});
 *     empty otherwise. {@code revision} is then their revisions joined by {@code ,}.
 */
public record DesiredState(
    String revision,
    ResourceSet resources,
    Optional<SourceType> sourceType,
    List<SourceRevision> sources) {
  public DesiredState {
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(sourceType, "sourceType");
    sources = List.copyOf(sources);
  }

  /**
   * One source of a multi-source application.
   *
   * @param revision the commit or chart version it was rendered at
   * @param sourceType how it was rendered; empty for a ref-only source (not rendered)
   */
  public record SourceRevision(String revision, Optional<SourceType> sourceType) {
    public SourceRevision {
      Objects.requireNonNull(revision, "revision");
      Objects.requireNonNull(sourceType, "sourceType");
    }
  }

  /** A desired state of one source. */
  public DesiredState(String revision, ResourceSet resources, Optional<SourceType> sourceType) {
    this(revision, resources, sourceType, List.of());
  }

  /** A desired state whose source type is not known. */
  public DesiredState(String revision, ResourceSet resources) {
    this(revision, resources, Optional.empty());
  }
}
