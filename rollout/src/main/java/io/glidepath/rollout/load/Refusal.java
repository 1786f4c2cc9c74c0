package io.glidepath.rollout.load;

import io.glidepath.core.Origin;
import java.util.Objects;

/**
 * One field of an Argo Rollouts document that Glidepath refuses: where it is, its path and why.
 *
 * <p>{@code toString()} gives {@code rollout.yaml:14:7 spec.strategy.canary.foo: unknown field},
 * the form editors jump to.
 *
 * @param at the file, line and column of the field (or of its nearest enclosing field)
 * @param path the field path, e.g. {@code spec.strategy.canary.steps[2].plugin}
 * @param reason what is wrong, or why Glidepath does not support it
 */
public record Refusal(Origin at, String path, String reason) {
  public Refusal {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return at + " " + (path.isEmpty() ? "" : path + ": ") + reason;
  }
}
