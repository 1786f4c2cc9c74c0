package io.glidepath.core.app;

import io.glidepath.core.resource.ResourceSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An application rendered the way Argo CD renders it: the resources of every source combined, and
 * per source the revision it was rendered at and how.
 *
 * @param resources every source's resources; a resource two sources render is the later one's
 * @param sources one entry per source, in the application's order
 * @param warnings what the renderers and the combination said (repeated resources, ignored options)
 */
public record RenderedApplication(
    ResourceSet resources, List<Source> sources, List<String> warnings) {
  public RenderedApplication {
    Objects.requireNonNull(resources, "resources");
    sources = List.copyOf(sources);
    warnings = List.copyOf(warnings);
  }

  /**
   * One source as rendered.
   *
   * @param source the source
   * @param revision the Git commit it was rendered at, or the chart version chosen
   * @param renderer {@code helm}, {@code kustomize} or {@code directory}; empty for a ref-only
   *     source, which is not rendered
   * @param resources how many resources it rendered
   * @param inputs the paths in this source's Git checkout (repository-relative, forward slashes,
   *     {@code ""} for the root) that the render read: its path, value files, Kustomize bases and
   *     patch files, and the files other sources read from it as a {@code ref}; a later commit of
   *     the source touching none of them cannot change the render. Empty unless the renderer was
   *     built with {@link ApplicationRenderer.Builder#recordInputs()}, and for chart sources
   */
  public record Source(
      ApplicationSource source,
      String revision,
      Optional<String> renderer,
      int resources,
      Set<String> inputs) {
    public Source {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(revision, "revision");
      Objects.requireNonNull(renderer, "renderer");
      inputs = Set.copyOf(inputs);
    }

    /** A source rendered without recording its inputs. */
    public Source(
        ApplicationSource source, String revision, Optional<String> renderer, int resources) {
      this(source, revision, renderer, resources, Set.of());
    }
  }

  /** The revisions of every source, in order (Argo CD's {@code status.sync.revisions}). */
  public List<String> revisions() {
    return sources.stream().map(Source::revision).toList();
  }

  /**
   * One revision for the whole application: the source's revision for a single source, else the
   * sources' revisions joined by {@code ,}.
   */
  public String revision() {
    return String.join(",", revisions());
  }
}
