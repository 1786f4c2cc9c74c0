package io.glidepath.git;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.Redaction;
import java.util.Objects;

/**
 * A git operation failed: the repository could not be read, a remote refused us, a file could not
 * be written.
 *
 * <p>{@link #repository()} names the repository by its URL with any credentials removed ({@link
 * Redaction#url(String)}, as is every URL in the message). The message and the cause chain never
 * contain a credential: causes from the transport are replaced by copies with redacted messages
 * (same class name in the message, same stack trace).
 */
public class GitException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  private final String repository;

  public GitException(String repository, String message) {
    super(Redaction.urls(message));
    this.repository = Redaction.url(Objects.requireNonNull(repository, "repository"));
  }

  public GitException(String repository, String message, Throwable cause) {
    super(Redaction.urls(message), cause);
    this.repository = Redaction.url(Objects.requireNonNull(repository, "repository"));
  }

  /** The repository URL without credentials. */
  public String repository() {
    return repository;
  }
}
