package io.glidepath.kube.apply;

import io.glidepath.core.resource.ResourceKey;
import java.util.Objects;

/**
 * What pruning one resource did.
 *
 * @param key the resource
 * @param outcome what happened
 * @param message why, for people, or ""
 */
public record PruneResult(ResourceKey key, Outcome outcome, String message) {
  /** The closed set of outcomes (gitops-engine's Pruned / PruneSkipped, plus failure). */
  public enum Outcome {
    /** Deleted (or, in a dry run, would have been). */
    PRUNED,
    /** Left alone: not owned by the app, {@code Prune=false}, or already gone. */
    SKIPPED,
    /** The delete failed. */
    FAILED
  }

  public PruneResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(outcome, "outcome");
    message = message == null ? "" : message;
  }

  @Override
  public String toString() {
    return key + " " + outcome + (message.isEmpty() ? "" : ": " + message);
  }
}
