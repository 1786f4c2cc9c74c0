package io.glidepath.core.sync;

import java.util.Optional;

/**
 * The phases of a sync, in execution order; hooks choose theirs with {@code
 * argocd.argoproj.io/hook}.
 */
public enum SyncPhase {
  PRE_SYNC("PreSync"),
  SYNC("Sync"),
  POST_SYNC("PostSync"),
  /** Runs only when an earlier phase failed. */
  SYNC_FAIL("SyncFail");

  private final String displayName;

  SyncPhase(String displayName) {
    this.displayName = displayName;
  }

  /** The annotation spelling ({@code PreSync}). */
  public String displayName() {
    return displayName;
  }

  /** The phase named {@code name} in an annotation, if any. */
  public static Optional<SyncPhase> fromAnnotation(String name) {
    for (SyncPhase p : values()) {
      if (p.displayName.equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
