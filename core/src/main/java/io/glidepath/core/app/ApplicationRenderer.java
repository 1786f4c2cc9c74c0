package io.glidepath.core.app;

import io.glidepath.core.render.ChartRequest;
import io.glidepath.core.render.ChartSource;
import io.glidepath.core.render.FetchedChart;
import io.glidepath.core.render.GitCheckouts;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Renders an {@link Application} the way Argo CD's controller does, whatever its sources: one Git
 * source, a chart of a Helm repository or an OCI registry, or several sources ({@code
 * spec.sources}).
 *
 * <pre>{@code
 * ApplicationRenderer renderer = ApplicationRenderer.builder()
 *     .git(GitCheckouts.of(gitCache, credentials))                  // module glidepath-git
 *     .charts(ChartFetcher.builder(chartCache).credentials(credentials).build()) // glidepath-helm
 *     .build();
 * RenderedApplication r = renderer.render(Application.read(Path.of("app.yaml")));
 * r.resources();   // every source's resources
 * r.revisions();   // [3f2a9c1..., 4.11.2]
 * }</pre>
 *
 * <ul>
 *   <li>A Git source is checked out at its {@code targetRevision} and its {@code path} rendered
 *       (Helm, Kustomize or a plain directory, detected as Argo CD does); a chart source ({@code
 *       chart} set) is fetched from its repository or registry at the version its {@code
 *       targetRevision} names or allows, and rendered with its Helm options, value files read from
 *       the chart.
 *   <li>Multi-source: every source is rendered and the results combined in the sources' order; a
 *       source with {@code ref} and no path or chart is not rendered but lends its checkout to the
 *       others' value files written {@code $ref/path} (only Git sources can be refs); when two
 *       sources render the same resource (group, kind, namespace, name), the later source's wins
 *       and the result carries a warning, as Argo CD's RepeatedResourceWarning.
 *   <li>Chart dependencies not vendored in a chart come from the same {@link ChartSource}.
 * </ul>
 *
 * <p>Checkouts are closed before {@link #render} returns. Thread-safe.
 */
public final class ApplicationRenderer {
  private final GitCheckouts git;
  private final ChartSource charts;
  private final Function<Path, ManifestRenderer> renderers;
  private final boolean recordInputs;

  private ApplicationRenderer(Builder b) {
    this.git = b.git;
    this.charts = b.charts;
    this.renderers = b.renderers;
    this.recordInputs = b.recordInputs;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Renders every source of {@code app}.
   *
   * @throws RenderException (or a subclass) naming the source that failed; a failed source fails
   *     the whole render, as in Argo CD
   */
  public RenderedApplication render(Application app) {
    Objects.requireNonNull(app, "app");
    List<ApplicationSource> sources = app.allSources();
    List<GitCheckouts.Checkout> open = new ArrayList<>();
    try {
      Map<String, Path> refs = new LinkedHashMap<>();
      Map<String, Integer> refSources = new LinkedHashMap<>();
      Map<Integer, GitCheckouts.Checkout> checkouts = new LinkedHashMap<>();
      List<Set<String>> inputs = new ArrayList<>();
      for (int i = 0; i < sources.size(); i++) {
        inputs.add(recordInputs ? ConcurrentHashMap.newKeySet() : Set.of());
      }
      // refs first: any source may use any ref's files
      for (int i = 0; i < sources.size(); i++) {
        ApplicationSource s = sources.get(i);
        if (s.ref().isPresent()) {
          if (s.isChart()) {
            throw new RenderException(
                where(app, i)
                    + ": ref "
                    + s.ref().get()
                    + " names a chart; refs must be Git sources");
          }
          GitCheckouts.Checkout c = checkout(app, i, s);
          open.add(c);
          checkouts.put(i, c);
          refs.put(s.ref().get(), c.root());
          refSources.put(s.ref().get(), i);
        }
      }
      Map<ResourceKey, Resource> combined = new LinkedHashMap<>();
      Map<ResourceKey, Integer> producedBy = new LinkedHashMap<>();
      List<RenderedApplication.Source> rendered = new ArrayList<>();
      List<String> warnings = new ArrayList<>();
      for (int i = 0; i < sources.size(); i++) {
        ApplicationSource s = sources.get(i);
        String where = where(app, i);
        if (s.isRefOnly()) {
          // filled by the sources that read this ref's files; recorded once all are rendered
          rendered.add(null);
          continue;
        }
        RenderRequest request;
        String revision;
        if (s.isChart()) {
          boolean pass = s.helm().map(HelmSource::passCredentials).orElse(false);
          FetchedChart f =
              charts.fetch(
                  new ChartRequest(s.repoURL(), s.chart().orElseThrow(), s.targetRevision(), pass));
          revision = f.version();
          request = app.renderRequest(s, f.dir(), refs);
        } else {
          GitCheckouts.Checkout c = checkouts.get(i);
          if (c == null) {
            c = checkout(app, i, s);
            open.add(c);
          }
          revision = c.revision();
          request = app.renderRequest(s, c.root(), refs);
        }
        // Argo CD's parameter override files in the source's directory, merged before anything
        // reads the source
        ApplicationSource merged =
            SourceOverrides.apply(
                s,
                request.repoRoot(),
                request.appDir(),
                app.name(),
                app.namespace(),
                where,
                app.hasMultipleSources());
        if (merged != s) {
          s = merged;
          request = app.renderRequest(s, request.repoRoot(), refs);
        }
        RenderRequest.Builder rb = request.newBuilder().charts(charts);
        if (recordInputs && !s.isChart()) {
          rb.recordInputs(inputs.get(i));
          refSources.forEach((name, source) -> rb.recordRefInputs(name, inputs.get(source)));
        }
        request = rb.build();
        RenderResult result;
        try {
          result = rendererOf(s, request.appDir()).render(request);
        } catch (RenderException e) {
          if (sources.size() == 1) {
            throw e;
          }
          throw new RenderException(where + ": " + e.getMessage(), e.file().orElse(null), e);
        }
        for (String w : result.warnings()) {
          warnings.add(sources.size() == 1 ? w : where + ": " + w);
        }
        int count = 0;
        for (Resource r : result.resources()) {
          count++;
          Integer before = producedBy.put(r.key(), i);
          if (before != null && before != i) {
            warnings.add(
                "RepeatedResourceWarning: "
                    + r.key()
                    + " is rendered by "
                    + label(app, before)
                    + " and "
                    + label(app, i)
                    + "; the later one is used");
          }
          combined.remove(r.key());
          combined.put(r.key(), r);
        }
        rendered.add(
            new RenderedApplication.Source(
                s, revision, Optional.of(result.renderer()), count, inputs.get(i)));
      }
      for (int i = 0; i < sources.size(); i++) {
        if (rendered.get(i) == null) {
          rendered.set(
              i,
              new RenderedApplication.Source(
                  sources.get(i), checkouts.get(i).revision(), Optional.empty(), 0, inputs.get(i)));
        }
      }
      return new RenderedApplication(
          ResourceSet.of(new ArrayList<>(combined.values())), rendered, warnings);
    } finally {
      for (GitCheckouts.Checkout c : open) {
        c.close();
      }
    }
  }

  /**
   * The revision each source of {@code app} names now (a commit id, or the chart version a
   * constraint chooses), without rendering: what {@link #render} would render at, to tell whether a
   * render is due.
   */
  public List<String> resolve(Application app) {
    List<String> out = new ArrayList<>();
    for (ApplicationSource s : app.allSources()) {
      if (s.isChart()) {
        boolean pass = s.helm().map(HelmSource::passCredentials).orElse(false);
        out.add(
            charts
                .fetch(
                    new ChartRequest(
                        s.repoURL(), s.chart().orElseThrow(), s.targetRevision(), pass))
                .version());
      } else {
        out.add(git.resolve(s.repoURL(), s.targetRevision()));
      }
    }
    return out;
  }

  private GitCheckouts.Checkout checkout(Application app, int i, ApplicationSource s) {
    try {
      return git.checkout(s.repoURL(), s.targetRevision());
    } catch (RenderException e) {
      throw app.hasMultipleSources()
          ? new RenderException(where(app, i) + ": " + e.getMessage(), e.file().orElse(null), e)
          : e;
    }
  }

  /**
   * The renderer of source {@code s}: the one its option block names ({@code helm}, {@code
   * kustomize}, {@code directory}), as Argo CD's repository server renders it whatever the
   * directory holds; otherwise the one detected for {@code dir}.
   */
  private ManifestRenderer rendererOf(ApplicationSource s, Path dir) {
    return s.explicitTypes().isEmpty() ? renderers.apply(dir) : s.renderer(dir);
  }

  private static String where(Application app, int i) {
    return app.hasMultipleSources() ? "spec.sources[" + i + "]" : "spec.source";
  }

  private static String label(Application app, int i) {
    ApplicationSource s = app.allSources().get(i);
    return where(app, i)
        + " ("
        + s.repoURL()
        + (s.isChart() ? " " + s.chart().orElseThrow() : s.path().isEmpty() ? "" : " " + s.path())
        + ")";
  }

  /** Settings of an {@link ApplicationRenderer}. Not thread-safe. */
  public static final class Builder {
    private GitCheckouts git = GitCheckouts.NONE;
    private ChartSource charts = ChartSource.NONE;
    private Function<Path, ManifestRenderer> renderers = ManifestRenderer::detect;
    private boolean recordInputs;

    private Builder() {}

    /**
     * Records what each Git source's render reads ({@link RenderedApplication.Source#inputs()}), so
     * that a caller can tell whether a later commit can change the render (default: not recorded).
     */
    public Builder recordInputs() {
      this.recordInputs = true;
      return this;
    }

    /** Where Git sources are checked out (default: none; a Git source is an error). */
    public Builder git(GitCheckouts git) {
      this.git = Objects.requireNonNull(git, "git");
      return this;
    }

    /** Where charts come from (default: none; a chart source is an error). */
    public Builder charts(ChartSource charts) {
      this.charts = Objects.requireNonNull(charts, "charts");
      return this;
    }

    /**
     * Which renderer renders the app directory of a source that names no type by a {@code helm},
     * {@code kustomize} or {@code directory} block (default {@link ManifestRenderer#detect}).
     */
    public Builder renderers(Function<Path, ManifestRenderer> renderers) {
      this.renderers = Objects.requireNonNull(renderers, "renderers");
      return this;
    }

    public ApplicationRenderer build() {
      return new ApplicationRenderer(this);
    }
  }
}
