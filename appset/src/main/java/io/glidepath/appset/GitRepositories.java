package io.glidepath.appset;

import io.glidepath.git.CommitId;
import io.glidepath.git.GitSource;
import io.glidepath.git.Snapshot;
import io.glidepath.git.watch.GitChange;
import io.glidepath.git.watch.GitListener;
import io.glidepath.git.watch.GitWatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The repositories of {@code git} generators, read through Glidepath's {@link GitSource}s: each
 * checkout fetches, resolves the generator's {@code revision} ({@code HEAD} when empty) and reads
 * that commit's tree, so every generation sees the newest commit (as Argo CD's git generator). With
 * {@link Builder#watch watchers}, a {@link GitWatcher} per repository follows every revision read
 * so far and calls {@link #onChange} listeners on a new commit, typically {@link
 * ApplicationSetController#refresh()}: a commit regenerates the Applications without waiting for
 * the requeue.
 *
 * <pre>{@code
 * try (GitCache cache = GitCache.open(dir);
 *     GitRepositories repos =
 *         GitRepositories.builder(url -> cache.source(GitRemote.of(url, credentials)))
 *             .watch((source, revision) -> GitWatcher.builder(source, revision).build())
 *             .build()) {
 *   ApplicationSetController c =
 *       ApplicationSetController.builder(control, "argocd", "apps", GeneratorContext.of(clusters,
 *           repos)).build();
 *   repos.onChange(c::refresh);
 *   c.start();
 * }
 * }</pre>
 *
 * <p>Thread-safe. Snapshots are held until a newer commit of the same revision is read, or {@link
 * #close()}.
 */
public final class GitRepositories implements GeneratorContext.Repositories, AutoCloseable {
  private final Function<String, GitSource> sources;
  private final BiFunction<GitSource, String, GitWatcher> watchers;
  private final Map<String, GitSource> byUrl = new HashMap<>();
  private final Map<String, Snapshot> snapshots = new HashMap<>();
  private final Map<String, GitWatcher> watching = new HashMap<>();

  /** The commit each {@code repoURL@revision} was last read at, for watcher threads to compare. */
  private final Map<String, CommitId> read = new java.util.concurrent.ConcurrentHashMap<>();

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private GitRepositories(Builder b) {
    this.sources = b.sources;
    this.watchers = b.watchers;
  }

  /** Repositories whose {@link GitSource} for a {@code repoURL} {@code sources} gives. */
  public static Builder builder(Function<String, GitSource> sources) {
    return new Builder(sources);
  }

  /** Called (on a watcher's thread; must be fast and never throw) when a watched ref moves. */
  public void onChange(Runnable listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public synchronized GeneratorContext.Checkout checkout(String repoURL, String revision) {
    GitSource source = byUrl.computeIfAbsent(repoURL, sources);
    String rev = revision.isEmpty() ? "HEAD" : revision;
    CommitId commit = source.fetchAndResolve(rev);
    String key = repoURL + "@" + rev;
    Snapshot snap = snapshots.get(key);
    if (snap == null || !snap.commit().equals(commit)) {
      Snapshot fresh = source.snapshot(commit);
      if (snap != null) {
        snap.close();
      }
      snapshots.put(key, fresh);
      snap = fresh;
    }
    read.put(key, commit);
    watch(repoURL, source, rev);
    return new GeneratorContext.Checkout(snap.root(), commit.sha());
  }

  private void watch(String repoURL, GitSource source, String rev) {
    if (watchers == null) {
      return;
    }
    GitWatcher w = watching.get(repoURL);
    if (w == null) {
      w = watchers.apply(source, rev);
      w.addListener(
          new GitListener() {
            @Override
            public void onChange(GitChange change) {
              if (change.current().equals(read.get(repoURL + "@" + change.revision()))) {
                return; // e.g. the watcher's first report of the commit this checkout just read
              }
              for (Runnable r : listeners) {
                try {
                  r.run();
                } catch (RuntimeException e) {
                  // a listener must not stop the others
                }
              }
            }
          });
      watching.put(repoURL, w);
      w.start();
    } else if (!w.revisions().contains(rev)) {
      w.watchAlso(rev);
    }
  }

  /** Stops the watchers and releases the snapshots. */
  @Override
  public synchronized void close() {
    List<AutoCloseable> all = new ArrayList<>(watching.values());
    all.addAll(snapshots.values());
    watching.clear();
    snapshots.clear();
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        // closing the rest matters more
      }
    }
  }

  /** Settings; default: no watchers (each generation still fetches). */
  public static final class Builder {
    private final Function<String, GitSource> sources;
    private BiFunction<GitSource, String, GitWatcher> watchers;

    private Builder(Function<String, GitSource> sources) {
      this.sources = Objects.requireNonNull(sources, "sources");
    }

    /**
     * Follows each repository with the watcher {@code watchers} builds for its first revision read
     * (others are added with {@link GitWatcher#watchAlso}); started on first use, closed with the
     * repositories.
     */
    public Builder watch(BiFunction<GitSource, String, GitWatcher> watchers) {
      this.watchers = Objects.requireNonNull(watchers, "watchers");
      return this;
    }

    public GitRepositories build() {
      return new GitRepositories(this);
    }
  }
}
