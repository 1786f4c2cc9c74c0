package io.glidepath.git;

/**
 * The remote could not be reached or refused the request: connection refused, timeout,
 * authentication failure, repository not found. The local cache is left as it was, so a caller may
 * keep working with the last fetched state.
 */
public final class GitTransportException extends GitException {
  private static final long serialVersionUID = 1L;

  private final String operation;

  public GitTransportException(
      String repository, String operation, String message, Throwable cause) {
    super(repository, operation + " of " + repository + " failed: " + message, cause);
    this.operation = operation;
  }

  /** What was being done: {@code fetch} or {@code push}. */
  public String operation() {
    return operation;
  }
}
