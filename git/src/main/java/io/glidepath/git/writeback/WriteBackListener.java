package io.glidepath.git.writeback;

import io.glidepath.git.CommitId;

/**
 * Observes a {@link GitWriteBack}'s attempts, for logs and metrics.
 *
 * <p>Called on the thread running the attempt while the repository's lock is held; must be fast and
 * never throw.
 */
public interface WriteBackListener {
  /** Listens to nothing. */
  WriteBackListener NONE = new WriteBackListener() {};

  /** A commit was made on {@code parent} and is about to be pushed. */
  default void beforePush(int attempt, CommitId parent, CommitId commit) {}

  /** The push of attempt {@code attempt} was refused; another attempt follows if any is left. */
  default void onRejected(int attempt, String reason) {}
}
