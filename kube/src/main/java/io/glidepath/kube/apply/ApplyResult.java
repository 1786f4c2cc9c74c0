package io.glidepath.kube.apply;

import io.glidepath.core.resource.ResourceKey;
import java.util.Objects;

/**
 * What applying one resource did.
 *
 * @param key the resource
 * @param outcome what happened
 * @param message detail for people (the API's error, a shared-resource warning, ...), or ""
 */
public record ApplyResult(ResourceKey key, Outcome outcome, String message) {
  /** The closed set of outcomes. */
  public enum Outcome {
    /** The object did not exist and was created. */
    CREATED,
    /** The object existed and was changed. */
    CONFIGURED,
    /** The object already matched: the API reported no change. */
    UNCHANGED,
    /** The object was deleted and created again ({@code Force} after a refusal). */
    RECREATED,
    /** Applying failed; the message says why. */
    FAILED,
    /** Not attempted, because the dry run of the plan failed or an earlier step failed. */
    SKIPPED;

    /** Whether the cluster now holds what was asked for. */
    public boolean succeeded() {
      return this == CREATED || this == CONFIGURED || this == UNCHANGED || this == RECREATED;
    }
  }

  public ApplyResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(outcome, "outcome");
    message = message == null ? "" : message;
  }

  @Override
  public String toString() {
    return key + " " + outcome + (message.isEmpty() ? "" : ": " + message);
  }
}
