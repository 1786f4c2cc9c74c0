package io.glidepath.kube.controller;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.Redaction;
import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationSource;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.Parameter;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitRemote;
import io.glidepath.git.GitSource;
import io.glidepath.git.Snapshot;
import io.glidepath.git.UnknownRevisionException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The desired state of an {@link Application} read from Git (module {@code glidepath-git}, an
 * optional dependency of this module): the app's {@code targetRevision} resolved in a {@link
 * GitSource}, its snapshot rendered with {@link ManifestRenderer#detect} (Helm needs {@code
 * glidepath-helm}, Kustomize {@code glidepath-kustomize} on the path). The revision is the commit
 * id, followed by {@code +} and a digest of the Helm parameters when the app sets any, so that a
 * change of parameters is a new revision to auto-sync, as in Argo CD. A render is reused while the
 * commit and the app's source and destination namespace stay the same.
 *
 * <p>An {@link ApplicationController} passes the app as it stands at each reconcile ({@link
 * #fetch(Application)}): when the app's Argo CD {@code Application} object is edited (a new {@code
 * targetRevision}, path, value file or Helm parameter), the next reconcile resolves and renders the
 * edited spec. The repository stays the one this source was built on: a spec naming another {@code
 * repoURL} fails the fetch (reported by the controller) until a controller with a source for that
 * repository is built. Without fetching ({@link #withoutFetch()}), a revision not found in what was
 * fetched last (a branch just named in the spec) is fetched once.
 *
 * <pre>{@code
 * GitSource git = cache.source(app.source().repoURL());
 * GitWatcher watcher = GitWatcher.builder(git, app.source().targetRevision())
 *     .scheduler(PollScheduler.of(executor)).build();
 * ApplicationController controller =
 *     ApplicationController.builder(app, cluster, GitDesiredStateSource.of(git, app).withoutFetch())
 *         .gitWatcher(watcher) // fetches, and asks for a reconcile on each new commit
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class GitDesiredStateSource implements DesiredStateSource {
  private final GitSource source;
  private final Application app;
  private final boolean fetch;
  private volatile Rendered last;

  /** A render and what it was rendered from. */
  private record Rendered(
      String commit, ApplicationSource appSource, String namespace, DesiredState state) {}

  private GitDesiredStateSource(GitSource source, Application app, boolean fetch) {
    this.source = Objects.requireNonNull(source, "source");
    this.app = Objects.requireNonNull(app, "app");
    this.fetch = fetch;
  }

  /** Fetches {@code source} on every {@link #fetch()}, then resolves and renders. */
  public static GitDesiredStateSource of(GitSource source, Application app) {
    return new GitDesiredStateSource(source, app, true);
  }

  /**
   * This source without a fetch per call: the revision is resolved in what was fetched last, for a
   * controller whose {@link io.glidepath.git.watch.GitWatcher} fetches.
   */
  public GitDesiredStateSource withoutFetch() {
    return new GitDesiredStateSource(source, app, false);
  }

  /** The desired state of the app this source was built with. */
  @Override
  public DesiredState fetch() {
    return fetch(app);
  }

  /**
   * The desired state of {@code current}: its {@code targetRevision} resolved (after a fetch,
   * unless {@link #withoutFetch()}) and its source rendered.
   *
   * @throws GlidepathException when {@code current} names another repository than this source's
   */
  @Override
  public DesiredState fetch(Application current) {
    Objects.requireNonNull(current, "app");
    String repo = GitRemote.of(current.source().repoURL()).url();
    if (!repo.equals(source.remote().url())) {
      throw new GlidepathException(
          "the app's spec.source.repoURL is "
              + Redaction.url(repo)
              + ", but this GitDesiredStateSource reads "
              + Redaction.url(source.remote().url()));
    }
    String target = current.source().targetRevision();
    CommitId commit = resolve(target);
    Rendered previous = last;
    String namespace = current.destination().namespace();
    if (previous != null
        && previous.commit().equals(commit.sha())
        && previous.appSource().equals(current.source())
        && previous.namespace().equals(namespace)) {
      return previous.state();
    }
    try (Snapshot snapshot = source.snapshot(commit)) {
      snapshot.requireContainedLinks(source.remote().url());
      RenderRequest request = current.renderRequest(snapshot.root());
      RenderResult rendered = ManifestRenderer.detect(request.appDir()).render(request);
      DesiredState state =
          new DesiredState(
              revision(commit, request.parameters()),
              rendered.resources(),
              SourceType.of(rendered));
      last = new Rendered(commit.sha(), current.source(), namespace, state);
      return state;
    }
  }

  private CommitId resolve(String target) {
    if (fetch) {
      return source.fetchAndResolve(target);
    }
    try {
      return source.resolve(target);
    } catch (UnknownRevisionException e) {
      // e.g. a branch the spec names since an edit, not fetched yet
      return source.fetchAndResolve(target);
    }
  }

  /** The commit, plus {@code +} and 8 hex digits of the parameters' SHA-256 when there are any. */
  static String revision(CommitId commit, List<Parameter> parameters) {
    if (parameters.isEmpty()) {
      return commit.sha();
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
      return commit.sha() + "+" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
