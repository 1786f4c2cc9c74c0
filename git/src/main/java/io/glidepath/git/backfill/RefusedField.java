package io.glidepath.git.backfill;

import java.util.Objects;

/**
 * A drifted field that was not written into Git, and why (never its value).
 *
 * @param path the field, like {@code data.password}
 * @param reason why it was not written
 */
public record RefusedField(String path, String reason) {
  public RefusedField {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return path + ": " + reason;
  }
}
