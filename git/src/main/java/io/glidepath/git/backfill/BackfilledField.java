package io.glidepath.git.backfill;

import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One drifted field whose live value was written into Git.
 *
 * @param path the field, like {@code spec.template.spec.containers[name=app].image}
 * @param live the live value now in Git; empty when the field was removed live and from Git
 */
public record BackfilledField(String path, Optional<JsonNode> live) {
  public BackfilledField {
    Objects.requireNonNull(path, "path");
    live = Objects.requireNonNull(live, "live").map(JsonNode::deepCopy);
  }

  /** Whether the field was removed. */
  public boolean removed() {
    return live.isEmpty();
  }

  /** {@code spec.replicas=15}, or {@code -spec.paused} for a removal (maps and lists as JSON). */
  public String describe() {
    return live.map(v -> path + "=" + (v.isString() ? v.stringValue() : v.toString()))
        .orElse("-" + path);
  }

  @Override
  public String toString() {
    return describe();
  }
}
