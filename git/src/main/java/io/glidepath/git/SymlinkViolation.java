package io.glidepath.git;

import java.util.Objects;

/**
 * A symbolic link in a commit that points outside the repository (an absolute target, or one that
 * climbs above the root, directly or through other links) or to nothing (dangling or looping, where
 * it would lead cannot be checked). Such a link is never created in a {@link Snapshot}, so a
 * renderer cannot be tricked into reading the host's files (the CVE-2022-24904 class of bug).
 *
 * @param path the link's repository-relative path
 * @param target the link's target as stored in git
 */
public record SymlinkViolation(String path, String target) {
  public SymlinkViolation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(target, "target");
  }

  @Override
  public String toString() {
    return path + " -> " + target + " (leads outside the repository or nowhere)";
  }
}
