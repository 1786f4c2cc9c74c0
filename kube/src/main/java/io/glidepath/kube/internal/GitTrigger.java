package io.glidepath.kube.internal;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationSource;
import io.glidepath.git.GitRemote;
import io.glidepath.git.watch.GitChange;
import io.glidepath.git.watch.GitListener;
import io.glidepath.git.watch.GitWatcher;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * A {@link ChangeTrigger} on a {@link GitWatcher}: each new commit of the watched revision asks for
 * a reconcile. Starting the trigger starts the watcher (idempotent); stopping it only stops the
 * calls, since a GitWatcher cannot be restarted once closed and may be shared.
 *
 * <p>It follows the app's current {@code targetRevision} (Argo CD refreshes an app on a commit to
 * the revision its spec names now): when the spec names another revision than the watcher's own,
 * the trigger asks the watcher to resolve that one too ({@link GitWatcher#watchAlso}) and a new
 * commit on it asks for a reconcile as well; the revision followed before is released ({@link
 * GitWatcher#unwatch}). Changes of other revisions added to a shared watcher by other users are
 * ignored. A commit id as target revision cannot move and is not watched. For a multi-source app
 * the trigger follows every source in the watcher's repository (two sources of one repository at
 * different revisions are both followed): give the controller one watcher per Git repository of the
 * app, and a commit to any source asks for a reconcile.
 */
public final class GitTrigger implements ChangeTrigger {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{40}");

  private final GitWatcher watcher;
  private final String own;
  private final AtomicReference<Runnable> target = new AtomicReference<>();
  // the revisions added to the watcher for the app (none: the app follows the watcher's own)
  private Set<String> added = Set.of();
  private boolean started;

  private GitTrigger(GitWatcher watcher) {
    this.watcher = watcher;
    this.own = watcher.revisions().get(0);
    watcher.addListener(
        new GitListener() {
          @Override
          public void onChange(GitChange change) {
            Runnable r = target.get();
            if (r != null && (change.revision().equals(own) || isFollowed(change.revision()))) {
              r.run();
            }
          }
        });
  }

  /** A trigger on {@code watcher}. */
  public static ChangeTrigger of(GitWatcher watcher) {
    return new GitTrigger(watcher);
  }

  private synchronized boolean isFollowed(String revision) {
    return added.contains(revision);
  }

  @Override
  public void start(Runnable refresh) {
    synchronized (this) {
      started = true;
    }
    target.set(refresh);
    watcher.start();
  }

  @Override
  public synchronized void follow(Application app) {
    // the app's sources in this watcher's repository (a single-source app's one source in any case)
    String repo = watcher.source().remote().url();
    Set<String> wanted = new TreeSet<>();
    for (ApplicationSource s : app.allSources()) {
      if (!s.isChart() && GitRemote.of(s.repoURL()).url().equals(repo)) {
        wanted.add(s.targetRevision());
      }
    }
    if (wanted.isEmpty() && !app.hasMultipleSources()) {
      wanted.add(app.source().targetRevision());
    }
    Set<String> next = new TreeSet<>();
    if (started) {
      for (String w : wanted) {
        if (!w.equals(own) && !COMMIT.matcher(w).matches()) {
          next.add(w);
        }
      }
    }
    for (String n : next) {
      if (!added.contains(n)) {
        watcher.watchAlso(n);
      }
    }
    for (String a : added) {
      if (!next.contains(a)) {
        watcher.unwatch(a);
      }
    }
    added = Set.copyOf(next);
  }

  @Override
  public void stop() {
    target.set(null);
    synchronized (this) {
      started = false;
      added.forEach(watcher::unwatch);
      added = Set.of();
    }
  }
}
