package io.glidepath.git.watch;

import io.glidepath.git.ChangedPaths;
import io.glidepath.git.CommitId;
import java.util.Objects;
import java.util.Optional;

/**
 * A watched revision now names another commit.
 *
 * @param revision the revision watched (e.g. {@code main})
 * @param previous the commit seen before; empty for {@link ChangeKind#INITIAL}
 * @param current the commit the revision names now
 * @param kind how it moved
 * @param changedPaths files that differ between previous and current; empty for {@link
 *     ChangeKind#INITIAL} and when the previous commit is gone from the clone
 */
public record GitChange(
    String revision,
    Optional<CommitId> previous,
    CommitId current,
    ChangeKind kind,
    Optional<ChangedPaths> changedPaths) {
  public GitChange {
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(changedPaths, "changedPaths");
    if ((kind == ChangeKind.INITIAL) != previous.isEmpty()) {
      throw new IllegalArgumentException(
          "previous must be empty exactly for INITIAL, but kind was "
              + kind
              + " and previous "
              + previous);
    }
  }
}
