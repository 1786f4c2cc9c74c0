package io.glidepath.kube.internal;

import io.glidepath.git.watch.GitChange;
import io.glidepath.git.watch.GitListener;
import io.glidepath.git.watch.GitWatcher;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link ChangeTrigger} on a {@link GitWatcher}: each new commit of the watched revision asks for
 * a reconcile. Starting the trigger starts the watcher (idempotent); stopping it only stops the
 * calls, since a GitWatcher cannot be restarted once closed and may be shared.
 */
public final class GitTrigger implements ChangeTrigger {
  private final GitWatcher watcher;
  private final AtomicReference<Runnable> target = new AtomicReference<>();

  private GitTrigger(GitWatcher watcher) {
    this.watcher = watcher;
    watcher.addListener(
        new GitListener() {
          @Override
          public void onChange(GitChange change) {
            Runnable r = target.get();
            if (r != null) {
              r.run();
            }
          }
        });
  }

  /** A trigger on {@code watcher}. */
  public static ChangeTrigger of(GitWatcher watcher) {
    return new GitTrigger(watcher);
  }

  @Override
  public void start(Runnable refresh) {
    target.set(refresh);
    watcher.start();
  }

  @Override
  public void stop() {
    target.set(null);
  }
}
