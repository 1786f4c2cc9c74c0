package io.glidepath.git;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A full git commit id: 40 lower-case hex digits (SHA-1 repositories).
 *
 * <p>{@code CommitId.of("0123...")}; {@link #abbreviated()} gives the 7-digit form for messages.
 *
 * @param sha the 40-digit id
 */
public record CommitId(String sha) {
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

  public CommitId {
    Objects.requireNonNull(sha, "sha");
    if (!SHA.matcher(sha).matches()) {
      throw new IllegalArgumentException("sha must be 40 lower-case hex digits, but was " + sha);
    }
  }

  /** The id of {@code sha} (upper-case digits are accepted and lowered). */
  public static CommitId of(String sha) {
    return new CommitId(Objects.requireNonNull(sha, "sha").toLowerCase(java.util.Locale.ROOT));
  }

  /** The first 7 digits. */
  public String abbreviated() {
    return sha.substring(0, 7);
  }

  @Override
  public String toString() {
    return sha;
  }
}
