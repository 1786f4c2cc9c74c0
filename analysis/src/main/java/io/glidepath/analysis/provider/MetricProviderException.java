package io.glidepath.analysis.provider;

import io.glidepath.analysis.AnalysisException;
import java.util.OptionalInt;

/**
 * A provider could not take a measurement: the server was unreachable, answered with an error, or
 * returned something that is not a metric value. The measurement becomes Error.
 *
 * <p>{@link #providerType()} names the provider and {@link #httpStatus()} carries the HTTP status
 * when there was one. Messages never contain credentials.
 */
public final class MetricProviderException extends AnalysisException {
  private static final long serialVersionUID = 1L;

  private final String providerType;
  private final int httpStatus;

  public MetricProviderException(String providerType, String message) {
    this(providerType, message, -1, null);
  }

  public MetricProviderException(String providerType, String message, Throwable cause) {
    this(providerType, message, -1, cause);
  }

  public MetricProviderException(
      String providerType, String message, int httpStatus, Throwable cause) {
    super(providerType + ": " + message, cause);
    this.providerType = providerType;
    this.httpStatus = httpStatus;
  }

  /** The provider type, e.g. {@code prometheus}. */
  public String providerType() {
    return providerType;
  }

  /** The HTTP status of the failed response, if the failure was one. */
  public OptionalInt httpStatus() {
    return httpStatus < 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }
}
