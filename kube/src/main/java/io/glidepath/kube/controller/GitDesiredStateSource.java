package io.glidepath.kube.controller;

import io.glidepath.core.app.Application;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.Parameter;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitSource;
import io.glidepath.git.Snapshot;
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
 * revision stays the same.
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
  private volatile DesiredState last;

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

  @Override
  public DesiredState fetch() {
    String target = app.source().targetRevision();
    CommitId commit = fetch ? source.fetchAndResolve(target) : source.resolve(target);
    DesiredState previous = last;
    if (previous != null && previous.revision().startsWith(commit.sha())) {
      return previous;
    }
    try (Snapshot snapshot = source.snapshot(commit)) {
      RenderRequest request = app.renderRequest(snapshot.root());
      RenderResult rendered = ManifestRenderer.detect(request.appDir()).render(request);
      DesiredState state =
          new DesiredState(
              revision(commit, request.parameters()),
              rendered.resources(),
              SourceType.of(rendered));
      last = state;
      return state;
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
