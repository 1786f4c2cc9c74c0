package io.glidepath.kube.sync;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one sync: a result per step, in execution order, and whether it succeeded.
 *
 * @param succeeded whether every step succeeded and every wave became healthy
 * @param message why it failed, or ""
 * @param attempts how many times the plan was run (more than 1 after retries)
 * @param startedAt when the first attempt started, on the engine's clock
 * @param finishedAt when the last attempt finished
 * @param resources the results of the last attempt
 */
public record SyncResult(
    boolean succeeded,
    String message,
    int attempts,
    Instant startedAt,
    Instant finishedAt,
    List<ResourceResult> resources) {
  public SyncResult {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    message = message == null ? "" : message;
    resources = List.copyOf(resources);
  }

  /** The results with {@code code}. */
  public List<ResourceResult> withCode(ResultCode code) {
    return resources.stream().filter(r -> r.code() == code).toList();
  }
}
