package io.glidepath.helm.repo;

import io.glidepath.core.Redaction;
import io.glidepath.core.render.RenderException;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A chart that cannot be had from its repository or registry. The message names the repository, the
 * chart and the version asked for, and says what went wrong; it never holds a credential. Nothing
 * that failed verification is cached.
 */
public final class ChartSourceException extends RenderException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Reason {
    /** The repository, the chart or the version does not exist. */
    NOT_FOUND,
    /** No version satisfies the constraint, or the constraint is not one. */
    NO_MATCHING_VERSION,
    /** The repository wants credentials that were not given, or refused the ones given. */
    UNAUTHORIZED,
    /** The index is not a Helm repository index, or is larger than the limits. */
    INVALID_INDEX,
    /** The archive is not a chart: not gzip, not tar, unsafe paths, links, too large. */
    INVALID_ARCHIVE,
    /** The archive's digest is not the one the index or the manifest names. */
    DIGEST_MISMATCH,
    /** The registry answered with something that is not a Helm chart's OCI manifest. */
    WRONG_MEDIA_TYPE,
    /** The repository could not be reached, or answered with an unexpected status. */
    TRANSPORT,
    /** The repository URL is not one Glidepath can fetch from. */
    UNSUPPORTED
  }

  private final String source;
  private final Reason reason;
  private final int status;

  public ChartSourceException(String source, Reason reason, String problem) {
    this(source, reason, problem, -1, null);
  }

  public ChartSourceException(
      String source, Reason reason, String problem, int status, Throwable cause) {
    // a repository URL may carry credentials (https://user:token@host): never in a message
    super(Redaction.urls(source + ": " + problem), null, cause);
    this.source = Redaction.urls(Objects.requireNonNull(source, "source"));
    this.reason = Objects.requireNonNull(reason, "reason");
    this.status = status;
  }

  /**
   * The repository, chart and version asked for, e.g. {@code https://charts.example.com nginx ^1}.
   */
  public String source() {
    return source;
  }

  public Reason reason() {
    return reason;
  }

  /** The HTTP status the repository answered with, when that was the problem. */
  public OptionalInt status() {
    return status < 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }
}
