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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The desired state of an {@link Application} read from Git (module {@code glidepath-git}, an
 * optional dependency of this module): the app's {@code targetRevision} resolved in a {@link
 * GitSource}, its snapshot rendered with {@link ManifestRenderer#detect} (Helm needs {@code
 * glidepath-helm}, Kustomize {@code glidepath-kustomize} on the path). The revision is the commit
 * id, followed by {@code +} and a digest of the Helm parameters when the app sets any, so that a
 * change of parameters is a new revision to auto-sync, as in Argo CD.
 *
 * <p><b>Work follows the change.</b> Each render records its inputs: the repository-relative paths
 * the renderer resolved (the app's path, its value files, Kustomize bases, components, resources
 * and patch files wherever they lie in the repository, symlink targets; see {@link
 * io.glidepath.core.render.RenderRequest.Builder#recordInputs}). A render is reused while the app's
 * source and destination namespace stay the same and no commit since touched one of its inputs
 * (Git's tree diff, which skips every subtree whose id did not change); the reused render keeps its
 * revision, the commit its inputs last changed at, so an app a commit did not touch is neither
 * re-rendered nor re-synced, and its status is not rewritten. When the app carries Argo CD's {@code
 * argocd.argoproj.io/manifest-generate-paths} annotation, its paths (separated by {@code ;},
 * relative to the app's path, or to the repository root when they start with {@code /}; globs
 * allowed) decide instead of the recorded inputs, as in Argo CD. {@link #affectedBy} answers the
 * same question for a {@link io.glidepath.git.watch.GitChange}, so that a watcher's commit wakes
 * only the apps it touches. A multi-source app ({@code spec.sources}; render it with {@link
 * ApplicationDesiredStateSource}) is never reused here: it is rendered again at every reconcile.
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
  private final java.util.concurrent.atomic.AtomicReference<Rendered> last =
      new java.util.concurrent.atomic.AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicLong renders =
      new java.util.concurrent.atomic.AtomicLong();

  /** Argo CD's annotation naming the paths whose changes need a new render. */
  public static final String MANIFEST_GENERATE_PATHS = "argocd.argoproj.io/manifest-generate-paths";

  /**
   * A render and what it was rendered from: the commit it was rendered at, the newest commit known
   * to leave its inputs untouched, and its inputs.
   */
  private record Rendered(
      String commit,
      String checkedCommit,
      ApplicationSource appSource,
      String namespace,
      Set<String> inputs,
      DesiredState state) {
    Rendered checkedAt(String commit) {
      return new Rendered(this.commit, commit, appSource, namespace, inputs, state);
    }
  }

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
    Rendered previous = last.get();
    String namespace = current.destination().namespace();
    if (previous != null
        && !current.hasMultipleSources()
        && previous.appSource().equals(current.source())
        && previous.namespace().equals(namespace)) {
      if (previous.checkedCommit().equals(commit.sha())) {
        return previous.state();
      }
      if (!touched(
          current, previous, source.changedPaths(CommitId.of(previous.checkedCommit()), commit))) {
        last.compareAndSet(previous, previous.checkedAt(commit.sha()));
        return previous.state();
      }
    }
    Set<String> inputs = ConcurrentHashMap.newKeySet();
    try (Snapshot snapshot = source.snapshot(commit)) {
      snapshot.requireContainedLinks(source.remote().url());
      RenderRequest request =
          current.renderRequest(snapshot.root()).newBuilder().recordInputs(inputs).build();
      RenderResult rendered = ManifestRenderer.detect(request.appDir()).render(request);
      DesiredState state =
          new DesiredState(
              revision(commit, request.parameters()),
              rendered.resources(),
              SourceType.of(rendered));
      renders.incrementAndGet();
      last.set(
          new Rendered(
              commit.sha(), commit.sha(), current.source(), namespace, Set.copyOf(inputs), state));
      return state;
    }
  }

  /**
   * Whether {@code change} (a new commit of a watched revision) may change the render of {@code
   * current}: true unless the last render is of the same source and namespace and the commits since
   * touch none of its inputs (or of the paths its {@value #MANIFEST_GENERATE_PATHS} annotation
   * names). Always true for a multi-source app ({@code spec.sources}), whose inputs in its other
   * sources (e.g. {@code $ref} value files) are not recorded. Cheap: uses the change's own changed
   * paths when it starts at the commit last looked at. Thread-safe; never throws (true when
   * unsure).
   */
  public boolean affectedBy(io.glidepath.git.watch.GitChange change, Application current) {
    Rendered previous = last.get();
    if (previous == null
        || current.hasMultipleSources()
        || !previous.appSource().equals(current.source())
        || !previous.namespace().equals(current.destination().namespace())) {
      return true;
    }
    String to = change.current().sha();
    if (previous.checkedCommit().equals(to) || previous.commit().equals(to)) {
      return false;
    }
    try {
      io.glidepath.git.ChangedPaths changed =
          change.previous().isPresent()
                  && change.previous().get().sha().equals(previous.checkedCommit())
                  && change.changedPaths().isPresent()
              ? change.changedPaths().get()
              : source.changedPaths(CommitId.of(previous.checkedCommit()), change.current());
      if (touched(current, previous, changed)) {
        return true;
      }
      // the render holds at the new commit too: the next change is compared from there, with the
      // change's own paths, instead of a tree diff per app from an ever older commit
      last.compareAndSet(previous, previous.checkedAt(to));
      return false;
    } catch (RuntimeException e) {
      return true;
    }
  }

  /** How many renders this source ran (a render reused is not counted). */
  public long renders() {
    return renders.get();
  }

  /** The inputs of the last render (repository-relative paths), empty before the first. */
  public Set<String> inputs() {
    Rendered r = last.get();
    return r == null ? Set.of() : r.inputs();
  }

  private static boolean touched(
      Application app, Rendered previous, io.glidepath.git.ChangedPaths changed) {
    if (changed.isEmpty()) {
      return false;
    }
    String annotation = app.annotations().get(MANIFEST_GENERATE_PATHS);
    if (annotation == null) {
      return changed.touchesAny(previous.inputs());
    }
    String appPath = app.source().path();
    for (String raw : annotation.split(";")) {
      String p = raw.trim();
      if (p.isEmpty()) {
        continue;
      }
      String path =
          p.startsWith("/")
              ? p.substring(1)
              : java.nio.file.Path.of(appPath.isEmpty() ? "." : appPath, p)
                  .normalize()
                  .toString()
                  .replace('\\', '/');
      if (path.equals(".")) {
        path = "";
      }
      if (path.contains("*") || path.contains("?") || path.contains("[")) {
        java.nio.file.PathMatcher glob =
            java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + path);
        if (changed.paths().stream().anyMatch(f -> glob.matches(java.nio.file.Path.of(f)))) {
          return true;
        }
      } else if (changed.touches(path)) {
        return true;
      }
    }
    return false;
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
