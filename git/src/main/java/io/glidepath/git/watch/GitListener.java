package io.glidepath.git.watch;

import io.glidepath.git.GitException;
import java.time.Duration;

/**
 * Hears what a {@link GitWatcher} finds.
 *
 * <p>Called on the watcher's polling thread (the scheduler's, or the caller of {@link
 * GitWatcher#poll()}); must be fast and never throw (a thrown exception is logged and ignored).
 */
public interface GitListener {
  /** Hears nothing. */
  GitListener NONE = new GitListener() {};

  /** The watched revision moved. */
  default void onChange(GitChange change) {}

  /**
   * A poll failed; the watcher keeps its last good commit and tries again after {@code retryIn}.
   */
  default void onError(GitException error, int consecutiveFailures, java.time.Duration retryIn) {}

  /** A poll succeeded after failures. */
  default void onRecovered(Duration downFor) {}
}
