package io.glidepath.core.project;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether a sync may run now, and if not, which window blocks it and until when.
 *
 * @param allowed whether the sync may run
 * @param blockedBy the window that blocks it (the active deny window, or an allow window that is
 *     closed), when blocked
 * @param until when the block ends (the deny window closes, or the allow window next opens), when
 *     known
 * @param reason a sentence for people
 */
public record SyncWindowDecision(
    boolean allowed, Optional<SyncWindow> blockedBy, Optional<Instant> until, String reason) {

  static SyncWindowDecision allow(String reason) {
    return new SyncWindowDecision(true, Optional.empty(), Optional.empty(), reason);
  }

  static SyncWindowDecision block(SyncWindow window, Optional<Instant> until, String reason) {
    return new SyncWindowDecision(false, Optional.of(window), until, reason);
  }
}
