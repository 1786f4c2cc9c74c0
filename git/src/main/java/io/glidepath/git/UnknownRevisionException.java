package io.glidepath.git;

/**
 * A revision (branch, tag, commit id or {@code HEAD}) names no commit in the fetched repository, or
 * an abbreviated id names more than one.
 */
public final class UnknownRevisionException extends GitException {
  private static final long serialVersionUID = 1L;

  private final String revision;

  public UnknownRevisionException(String repository, String revision, String reason) {
    super(repository, "revision '" + revision + "' " + reason + " in " + repository);
    this.revision = revision;
  }

  /** The revision as the caller gave it. */
  public String revision() {
    return revision;
  }
}
