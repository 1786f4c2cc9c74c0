package io.glidepath.git.writeback;

import io.glidepath.git.GitException;

/**
 * The remote kept refusing the write-back's push: every attempt lost a race with another writer
 * (non-fast-forward), or the remote refused the update for another reason (a protected branch, a
 * hook). Nothing was force-pushed; the remote is as the other writers left it.
 */
public final class PushRejectedException extends GitException {
  private static final long serialVersionUID = 1L;

  private final String branch;
  private final int attempts;

  public PushRejectedException(String repository, String branch, int attempts, String reason) {
    super(
        repository,
        "push to "
            + branch
            + " of "
            + repository
            + " was rejected after "
            + attempts
            + (attempts == 1 ? " attempt: " : " attempts: ")
            + reason);
    this.branch = branch;
    this.attempts = attempts;
  }

  /** The branch pushed to. */
  public String branch() {
    return branch;
  }

  /** How many attempts were made. */
  public int attempts() {
    return attempts;
  }
}
