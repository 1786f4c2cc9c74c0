package io.glidepath.core.app;

import io.glidepath.core.resource.ResourceSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
   */
  public record Source(
      ApplicationSource source, String revision, Optional<String> renderer, int resources) {
    public Source {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(revision, "revision");
      Objects.requireNonNull(renderer, "renderer");
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
