package io.glidepath.git.writeback;

import io.glidepath.git.CommitId;
import java.util.List;
import java.util.Objects;

/** What a {@link GitWriteBack} did: committed and pushed, or found every value already set. */
public sealed interface WriteBackResult
    permits WriteBackResult.Committed, WriteBackResult.Unchanged {

  /** The branch head after the write-back. */
  CommitId head();

  /**
   * A commit was pushed.
   *
   * @param head the new commit, now the branch head on the remote
   * @param parent the commit it was made on (the head when the last attempt fetched)
   * @param attempts how many push attempts it took (1 without a race)
   * @param changes the changes that altered a file
   */
  record Committed(CommitId head, CommitId parent, int attempts, List<YamlChange> changes)
      implements WriteBackResult {
    public Committed {
      Objects.requireNonNull(head, "head");
      Objects.requireNonNull(parent, "parent");
      changes = List.copyOf(changes);
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be >= 1, but was " + attempts);
      }
    }
  }

  /**
   * Every value was already set: nothing was committed or pushed.
   *
   * @param head the branch head that already holds the values
   */
  record Unchanged(CommitId head) implements WriteBackResult {
    public Unchanged {
      Objects.requireNonNull(head, "head");
    }
  }
}
