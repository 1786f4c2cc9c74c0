package io.glidepath.kube.controller;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.Redaction;
import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationRenderer;
import io.glidepath.core.app.ApplicationSource;
import io.glidepath.core.app.RenderedApplication;
import io.glidepath.core.render.GitCheckouts;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.Parameter;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitRemote;
import io.glidepath.git.GitSource;
import io.glidepath.git.Snapshot;
import io.glidepath.git.UnknownRevisionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The desired state of an {@link Application} read from one Git repository (module {@code
 * glidepath-git}, an optional dependency of this module): each source's {@code targetRevision}
 * resolved in a {@link GitSource}, and every source rendered as {@link ApplicationRenderer} renders
 * it ({@link ManifestRenderer#detect}; Helm needs {@code glidepath-helm}, Kustomize {@code
 * glidepath-kustomize} on the path). A multi-source app ({@code spec.sources}) renders every source
 * and combines the results as Argo CD does (a {@code ref}-only source lends its files to the
 * others' {@code $ref/...} value files; a resource two sources render is the later one's, with a
 * warning); all its sources must be Git sources of this repository (otherwise use {@link
 * ApplicationDesiredStateSource}). The revision is the commit id, followed by {@code +} and a
 * digest of the Helm parameters when a single-source app sets any, so that a change of parameters
 * is a new revision to auto-sync, as in Argo CD; for several sources the commits joined by {@code
 * ,}.
 *
 * <p><b>Work follows the change.</b> Each render records its inputs, per source: the
 * repository-relative paths the renderer resolved (the source's path, its value files, Kustomize
 * bases, components, resources and patch files wherever they lie in the repository, symlink
 * targets, and the {@code $ref/...} value files other sources read from it; see {@link
 * io.glidepath.core.render.RenderRequest.Builder#recordInputs}). A render is reused while the app's
 * sources and destination namespace stay the same and no commit since touched one of the inputs of
 * a source at that commit's revision (Git's tree diff, which skips every subtree whose id did not
 * change); the reused render keeps its revision, the commit its inputs last changed at, so an app a
 * commit did not touch is neither re-rendered nor re-synced, and its status is not rewritten. When
 * the app carries Argo CD's {@code argocd.argoproj.io/manifest-generate-paths} annotation, its
 * paths (separated by {@code ;}, relative to each source's path, or to the repository root when
 * they start with {@code /}; globs allowed) decide instead of the recorded inputs, as in Argo CD.
 * {@link #affectedBy} answers the same question for a {@link io.glidepath.git.watch.GitChange}, so
 * that a watcher's commit wakes only the apps it touches. An app a commit touched is rendered again
 * in a partial tree of that commit holding only the paths its last render read ({@link
 * GitSource#snapshot(CommitId, java.util.Collection)}), not in a checkout of the whole repository;
 * that render is kept only when it read nothing outside those paths, and made again from the whole
 * tree otherwise (or when it failed), so the result is the whole tree's.
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
public final class GitDesiredStateSource
    implements DesiredStateSource, io.glidepath.kube.internal.KeptRenderSource {
  private final GitSource source;
  private final Application app;
  private final boolean fetch;
  private final AtomicReference<Rendered> last = new AtomicReference<>();
  // the last render and commits a tree diff found touched: the fetch that follows a negative
  // unchanged() does not diff the same trees again
  private final AtomicReference<Touched> lastTouched = new AtomicReference<>();

  private record Touched(Rendered previous, Map<String, CommitId> commits) {}

  private final AtomicLong renders = new AtomicLong();
  private final AtomicLong partialRenders = new AtomicLong();

  /** Argo CD's annotation naming the paths whose changes need a new render. */
  public static final String MANIFEST_GENERATE_PATHS = "argocd.argoproj.io/manifest-generate-paths";

  /**
   * A render (kept compact between reconciles) and what it was rendered from: the app's sources and
   * namespace, per target revision the newest commit known to leave the render's inputs untouched,
   * per source the inputs read.
   */
  private record Rendered(
      List<ApplicationSource> sources,
      String namespace,
      Map<String, String> checked,
      List<Set<String>> inputs,
      io.glidepath.kube.internal.KeptRender state) {
    Rendered checkedAt(Map<String, String> commits) {
      return new Rendered(sources, namespace, Map.copyOf(commits), inputs, state);
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
   * The desired state of {@code current}: each source's {@code targetRevision} resolved (after a
   * fetch, unless {@link #withoutFetch()}) and every source rendered as {@link ApplicationRenderer}
   * renders it.
   *
   * @throws GlidepathException when a source of {@code current} names another repository than this
   *     source's, or is a Helm chart
   */
  @Override
  public DesiredState fetch(Application current) {
    Objects.requireNonNull(current, "app");
    Map<String, CommitId> commits = resolved(current);
    io.glidepath.kube.internal.KeptRender kept = unchanged(current, commits);
    if (kept != null) {
      return kept.state();
    }
    List<ApplicationSource> sources = current.allSources();
    Rendered previous = last.get();
    String namespace = current.destination().namespace();
    RenderedApplication rendered = null;
    Set<String> scope = previous == null ? null : scope(previous);
    if (scope != null
        && previous.sources().equals(sources)
        && previous.namespace().equals(namespace)) {
      // a new commit touched the app: render it in a tree of what the last render read, and keep
      // that render only when it read nothing else (the whole tree otherwise)
      try {
        RenderedApplication partial = render(current, commits, scope);
        if (within(partial, scope)) {
          rendered = partial;
          partialRenders.incrementAndGet();
        }
      } catch (RuntimeException e) {
        // e.g. a file it now reads is not in the partial tree: rendered again from the whole tree
      }
    }
    if (rendered == null) {
      rendered = render(current, commits, null);
    }
    DesiredState state = ApplicationDesiredStateSource.stateOf(current, rendered);
    renders.incrementAndGet();
    Map<String, String> at = new LinkedHashMap<>();
    commits.forEach((target, commit) -> at.put(target, commit.sha().intern()));
    List<Set<String>> inputs = new ArrayList<>();
    for (RenderedApplication.Source s : rendered.sources()) {
      inputs.add(s.inputs());
    }
    last.set(
        new Rendered(
            sources,
            namespace,
            Map.copyOf(at),
            List.copyOf(inputs),
            io.glidepath.kube.internal.KeptRender.of(state)));
    return state;
  }

  /**
   * The last render when {@link #fetch(Application)} would give it back now: the app's sources and
   * namespace are the same and no commit since touched its inputs. Null when it would render again.
   */
  @Override
  public io.glidepath.kube.internal.KeptRender unchanged(Application current) {
    Objects.requireNonNull(current, "app");
    return unchanged(current, resolved(current));
  }

  /** Each target revision of {@code current}'s sources resolved to its commit, in order. */
  private Map<String, CommitId> resolved(Application current) {
    requireOwnRepository(current);
    Map<String, CommitId> commits = new LinkedHashMap<>();
    for (ApplicationSource s : current.allSources()) {
      if (!commits.containsKey(s.targetRevision())) {
        commits.put(s.targetRevision(), resolve(s.targetRevision()));
      }
    }
    return commits;
  }

  private io.glidepath.kube.internal.KeptRender unchanged(
      Application current, Map<String, CommitId> commits) {
    Rendered previous = last.get();
    if (previous == null
        || !previous.sources().equals(current.allSources())
        || !previous.namespace().equals(current.destination().namespace())) {
      return null;
    }
    Touched known = lastTouched.get();
    if (known != null && known.previous() == previous && known.commits().equals(commits)) {
      return null;
    }
    Map<String, String> checked = new LinkedHashMap<>(previous.checked());
    boolean moved = false;
    for (Map.Entry<String, CommitId> e : commits.entrySet()) {
      String was = previous.checked().get(e.getKey());
      if (was.equals(e.getValue().sha())) {
        continue;
      }
      moved = true;
      if (touched(
          current, previous, e.getKey(), source.changedPaths(CommitId.of(was), e.getValue()))) {
        lastTouched.set(new Touched(previous, Map.copyOf(commits)));
        return null;
      }
      checked.put(e.getKey(), e.getValue().sha());
    }
    if (moved) {
      last.compareAndSet(previous, previous.checkedAt(checked));
    }
    return previous.state();
  }

  private RenderedApplication render(
      Application current, Map<String, CommitId> commits, Set<String> scope) {
    return ApplicationRenderer.builder()
        .git(checkouts(commits, scope))
        .recordInputs()
        .build()
        .render(current);
  }

  /**
   * The paths a partial tree needs to render the app again: every input of the last render; null
   * when that is the whole repository (an input at the root) or not known.
   */
  private static Set<String> scope(Rendered previous) {
    Set<String> all = new java.util.TreeSet<>();
    for (Set<String> in : previous.inputs()) {
      for (String p : in) {
        if (p.isEmpty() || p.equals(".")) {
          return null;
        }
        all.add(p);
      }
    }
    return all.isEmpty() ? null : all;
  }

  /** Whether every input of {@code rendered} lies at or under a path of {@code scope}. */
  private static boolean within(RenderedApplication rendered, Set<String> scope) {
    for (RenderedApplication.Source s : rendered.sources()) {
      for (String input : s.inputs()) {
        boolean covered = false;
        for (String p : scope) {
          if (input.equals(p) || input.startsWith(p + "/")) {
            covered = true;
            break;
          }
        }
        if (!covered) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Checkouts of this source's repository at the commits {@link #fetch} resolved: whole trees, or
   * only the paths of {@code scope} when not null.
   */
  private GitCheckouts checkouts(Map<String, CommitId> commits, Set<String> scope) {
    return (repoUrl, target) -> {
      CommitId commit = commits.get(target);
      CommitId at = commit != null ? commit : resolve(target);
      Snapshot snapshot = scope == null ? source.snapshot(at) : source.snapshot(at, scope);
      try {
        // a link that leads outside the repository, or nowhere, refuses the render
        snapshot.requireContainedLinks(source.remote().url());
      } catch (RuntimeException e) {
        snapshot.close();
        throw e;
      }
      return new GitCheckouts.Checkout() {
        @Override
        public Path root() {
          return snapshot.root();
        }

        @Override
        public String revision() {
          return snapshot.commit().sha();
        }

        @Override
        public void close() {
          snapshot.close();
        }
      };
    };
  }

  private void requireOwnRepository(Application current) {
    List<ApplicationSource> sources = current.allSources();
    for (int i = 0; i < sources.size(); i++) {
      ApplicationSource s = sources.get(i);
      String field = current.hasMultipleSources() ? "spec.sources[" + i + "]" : "spec.source";
      if (s.isChart()) {
        throw new GlidepathException(
            field
                + " is the chart "
                + s.chart().orElseThrow()
                + " of "
                + Redaction.url(s.repoURL())
                + ", but a GitDesiredStateSource reads only the Git repository "
                + Redaction.url(source.remote().url())
                + " (render this app with ApplicationDesiredStateSource)");
      }
      String repo = GitRemote.of(s.repoURL()).url();
      if (!repo.equals(source.remote().url())) {
        throw new GlidepathException(
            "the app's "
                + field
                + ".repoURL is "
                + Redaction.url(repo)
                + ", but this GitDesiredStateSource reads "
                + Redaction.url(source.remote().url())
                + (current.hasMultipleSources()
                    ? " (render an app with sources in several repositories with"
                        + " ApplicationDesiredStateSource)"
                    : ""));
      }
    }
  }

  /**
   * Whether {@code change} (a new commit of a watched revision) may change the render of {@code
   * current}: true unless the last render is of the same sources and namespace and the commits
   * since touch none of the inputs of the sources at the change's revision (or of the paths its
   * {@value #MANIFEST_GENERATE_PATHS} annotation names). Cheap: uses the change's own changed paths
   * when it starts at the commit last looked at. Thread-safe; never throws (true when unsure).
   */
  public boolean affectedBy(io.glidepath.git.watch.GitChange change, Application current) {
    Rendered previous = last.get();
    if (previous == null
        || !previous.sources().equals(current.allSources())
        || !previous.namespace().equals(current.destination().namespace())) {
      return true;
    }
    // a single source follows whatever revision its watcher reports; several sources, the ones
    // at the change's revision
    String target =
        current.hasMultipleSources() ? change.revision() : current.source().targetRevision();
    String checked = previous.checked().get(target);
    if (checked == null) {
      return true;
    }
    String to = change.current().sha();
    if (checked.equals(to)) {
      return false;
    }
    try {
      io.glidepath.git.ChangedPaths changed =
          change.previous().isPresent()
                  && change.previous().get().sha().equals(checked)
                  && change.changedPaths().isPresent()
              ? change.changedPaths().get()
              : source.changedPaths(CommitId.of(checked), change.current());
      if (touched(current, previous, target, changed)) {
        return true;
      }
      // the render holds at the new commit too: the next change is compared from there, with the
      // change's own paths, instead of a tree diff per app from an ever older commit
      Map<String, String> next = new LinkedHashMap<>(previous.checked());
      next.put(target, to.intern());
      last.compareAndSet(previous, previous.checkedAt(next));
      return false;
    } catch (RuntimeException e) {
      return true;
    }
  }

  /** How many renders this source ran (a render reused is not counted). */
  public long renders() {
    return renders.get();
  }

  /**
   * How many of {@link #renders()} read a partial tree of the commit (the paths the render before
   * read) instead of checking out the whole repository.
   */
  public long partialRenders() {
    return partialRenders.get();
  }

  /**
   * The inputs of the last render (repository-relative paths), of every source; empty before the
   * first.
   */
  public Set<String> inputs() {
    Rendered r = last.get();
    if (r == null) {
      return Set.of();
    }
    if (r.inputs().size() == 1) {
      return r.inputs().get(0);
    }
    Set<String> all = new java.util.TreeSet<>();
    r.inputs().forEach(all::addAll);
    return Set.copyOf(all);
  }

  /**
   * Whether the commits {@code changed} of the revision {@code target} touch the render's inputs.
   */
  private static boolean touched(
      Application app, Rendered previous, String target, io.glidepath.git.ChangedPaths changed) {
    if (changed.isEmpty()) {
      return false;
    }
    String annotation = app.annotations().get(MANIFEST_GENERATE_PATHS);
    if (annotation == null) {
      for (int i = 0; i < previous.sources().size(); i++) {
        if (previous.sources().get(i).targetRevision().equals(target)
            && changed.touchesAny(previous.inputs().get(i))) {
          return true;
        }
      }
      return false;
    }
    // as Argo CD: an absolute path is repository-relative, a relative one relative to each source
    for (String raw : annotation.split(";")) {
      String p = raw.trim();
      if (p.isEmpty()) {
        continue;
      }
      List<String> paths = new ArrayList<>();
      if (p.startsWith("/")) {
        paths.add(p.substring(1));
      } else {
        for (ApplicationSource s : app.allSources()) {
          String path =
              Path.of(s.path().isEmpty() ? "." : s.path(), p)
                  .normalize()
                  .toString()
                  .replace('\\', '/');
          paths.add(path.equals(".") || path.isEmpty() ? "" : path);
        }
      }
      for (String path : paths) {
        if (path.contains("*") || path.contains("?") || path.contains("[")) {
          java.nio.file.PathMatcher glob =
              java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + path);
          if (changed.paths().stream().anyMatch(f -> glob.matches(Path.of(f)))) {
            return true;
          }
        } else if (changed.touches(path)) {
          return true;
        }
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
