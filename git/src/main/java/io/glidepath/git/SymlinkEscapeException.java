package io.glidepath.git;

import java.util.List;

/**
 * A commit holds symbolic links that lead outside the repository or nowhere, so it is not rendered:
 * the files behind them are missing from the snapshot, and rendering without them (a chart without
 * its {@code values.yaml}) would deploy something else than what the commit says. Argo CD refuses
 * such a repository the same way ("repository contains out-of-bounds symlinks").
 */
public final class SymlinkEscapeException extends GitException {
  private static final long serialVersionUID = 1L;

  private final transient List<SymlinkViolation> violations;

  public SymlinkEscapeException(String repository, CommitId commit, List<SymlinkViolation> links) {
    super(
        repository,
        "commit "
            + commit.abbreviated()
            + " of "
            + repository
            + " holds a symbolic link that leads outside the repository or nowhere: "
            + links.get(0)
            + (links.size() > 1 ? " (and " + (links.size() - 1) + " more)" : "")
            + "; it is not rendered");
    this.violations = List.copyOf(links);
  }

  /** Every offending link. */
  public List<SymlinkViolation> violations() {
    return violations;
  }
}
