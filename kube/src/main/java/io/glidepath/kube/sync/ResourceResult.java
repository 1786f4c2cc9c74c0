package io.glidepath.kube.sync;

import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.sync.SyncAction;
import io.glidepath.core.sync.SyncPhase;
import java.util.Objects;

/**
 * The result of one step of a sync.
 *
 * @param key the resource
 * @param action what the step did
 * @param phase its phase
 * @param wave its wave
 * @param code the outcome
 * @param message detail for people, or ""
 */
public record ResourceResult(
    ResourceKey key,
    SyncAction action,
    SyncPhase phase,
    int wave,
    ResultCode code,
    String message) {
  public ResourceResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(code, "code");
    message = message == null ? "" : message;
  }

  @Override
  public String toString() {
    return phase.displayName()
        + " wave "
        + wave
        + " "
        + key
        + " "
        + code
        + (message.isEmpty() ? "" : ": " + message);
  }
}
