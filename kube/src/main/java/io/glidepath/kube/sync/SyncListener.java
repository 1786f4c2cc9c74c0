package io.glidepath.kube.sync;

import io.glidepath.core.sync.SyncPhase;

/**
 * Told about a sync's progress. Called on the syncing thread; must be fast and never throw. Every
 * method does nothing by default; {@link #NONE} ignores everything.
 */
public interface SyncListener {
  /** A listener that ignores everything. */
  SyncListener NONE = new SyncListener() {};

  /** A wave is about to be applied. */
  default void waveStarted(SyncPhase phase, int wave) {}

  /** A step finished. */
  default void resourceDone(ResourceResult result) {}

  /** Attempt {@code attempt} failed and the next starts after the backoff. */
  default void retrying(int attempt, String reason) {}
}
