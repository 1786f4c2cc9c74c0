package io.glidepath.kube.controller;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationRenderer;
import io.glidepath.core.app.ApplicationSource;
import io.glidepath.core.app.HelmSource;
import io.glidepath.core.app.RenderedApplication;
import io.glidepath.core.render.Parameter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The desired state of any {@link Application} (one Git source, a chart of a Helm repository or an
 * OCI registry, or several sources), rendered by an {@link ApplicationRenderer} as Argo CD renders
 * it. The revision is the source's commit (or chart version), followed by {@code +} and a digest of
 * the Helm parameters when the single source sets any (as {@link GitDesiredStateSource} does); for
 * a multi-source application the sources' revisions joined by {@code ,}, with each source's
 * revision and type in {@link DesiredState#sources()} for the Application's {@code
 * status.sync.revisions} and {@code status.sourceTypes}.
 *
 * <p>A render is reused while every source resolves to the same revision and the app's sources and
 * destination namespace stay the same.
 *
 * <pre>{@code
 * RepoCheckouts git = RepoCheckouts.of(gitCache, credentials).withoutFetch(); // watchers fetch
 * ApplicationRenderer renderer = ApplicationRenderer.builder().git(git).charts(chartFetcher).build();
 * ApplicationController controller =
 *     ApplicationController.builder(app, cluster, ApplicationDesiredStateSource.of(renderer, app))
 *         .gitWatcher(watcherOfSource0).gitWatcher(watcherOfSource1)
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ApplicationDesiredStateSource
    implements DesiredStateSource, io.glidepath.kube.internal.KeptRenderSource {
  private final ApplicationRenderer renderer;
  private final Application app;
  private volatile Rendered last;
  // the app as unchanged() last found it needing a render: the fetch that follows does not
  // resolve its revisions again before rendering (the render resolves them itself)
  private volatile Application due;

  private record Rendered(
      List<ApplicationSource> sources,
      String namespace,
      List<String> revisions,
      io.glidepath.kube.internal.KeptRender state) {}

  private ApplicationDesiredStateSource(ApplicationRenderer renderer, Application app) {
    this.renderer = Objects.requireNonNull(renderer, "renderer");
    this.app = Objects.requireNonNull(app, "app");
  }

  /** The desired state of {@code app} (and of the spec it has at each reconcile). */
  public static ApplicationDesiredStateSource of(ApplicationRenderer renderer, Application app) {
    return new ApplicationDesiredStateSource(renderer, app);
  }

  @Override
  public DesiredState fetch() {
    return fetch(app);
  }

  @Override
  public DesiredState fetch(Application current) {
    io.glidepath.kube.internal.KeptRender kept = due == current ? null : unchanged(current);
    due = null;
    if (kept != null) {
      return kept.state();
    }
    String namespace = current.destination().namespace();
    RenderedApplication r = renderer.render(current);
    DesiredState state = stateOf(current, r);
    last =
        new Rendered(
            current.allSources(),
            namespace,
            r.revisions(),
            io.glidepath.kube.internal.KeptRender.of(state));
    return state;
  }

  /**
   * The last render when {@link #fetch(Application)} would give it back now: every source resolves
   * to the same revision and the app's sources and destination namespace are the same. Null when it
   * would render again; a {@code fetch} of the same {@code current} right after then renders
   * without resolving the revisions once more first.
   */
  @Override
  public io.glidepath.kube.internal.KeptRender unchanged(Application current) {
    Objects.requireNonNull(current, "app");
    Rendered previous = last;
    // nothing to resolve when the render is due whatever the revisions are
    if (previous != null
        && previous.sources().equals(current.allSources())
        && previous.namespace().equals(current.destination().namespace())
        && previous.revisions().equals(renderer.resolve(current))) {
      return previous.state();
    }
    due = current;
    return null;
  }

  /**
   * The desired state {@code app} has when rendered as {@code rendered}: its revision (with the
   * parameters' digest for a single source), resources and source types, as {@link #fetch} gives
   * it. For callers that render once themselves, e.g. to show the render's warnings.
   */
  public static DesiredState stateOf(Application app, RenderedApplication rendered) {
    Objects.requireNonNull(app, "app");
    Optional<SourceType> first =
        rendered.sources().stream()
            .map(RenderedApplication.Source::renderer)
            .flatMap(Optional::stream)
            .findFirst()
            .flatMap(SourceType::ofName);
    if (app.hasMultipleSources()) {
      List<DesiredState.SourceRevision> sources = new ArrayList<>();
      for (RenderedApplication.Source s : rendered.sources()) {
        sources.add(
            new DesiredState.SourceRevision(
                s.revision(), s.renderer().flatMap(SourceType::ofName)));
      }
      return new DesiredState(rendered.revision(), rendered.resources(), first, sources);
    }
    List<Parameter> params = app.source().helm().map(HelmSource::parameters).orElse(List.of());
    return new DesiredState(
        withParameters(rendered.revision(), params), rendered.resources(), first);
  }

  /**
   * The revision, plus {@code +} and 8 hex digits of the parameters' SHA-256 when there are any.
   */
  static String withParameters(String revision, List<Parameter> parameters) {
    if (parameters.isEmpty()) {
      return revision;
    }
    StringBuilder text = new StringBuilder();
    for (Parameter p : parameters) {
      text.append(p.name()).append('=').append(p.value()).append(p.forceString() ? "!" : "");
      text.append('\n');
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return revision + "+" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "ApplicationDesiredStateSource[" + app.name() + "]";
  }
}
