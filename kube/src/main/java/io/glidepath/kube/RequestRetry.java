package io.glidepath.kube;

import java.time.Duration;
import java.util.Objects;

/**
 * How Glidepath retries one API request that failed transiently (429, 500, 502, 503, 504, a generic
 * 409 Conflict, a timeout or a broken connection), with exponential backoff. fabric8's own request
 * retries are turned off so the two never stack.
 *
 * <p>{@code new RequestRetry(5, Duration.ofMillis(200), 2.0, Duration.ofSeconds(5))}
 *
 * @param maxAttempts attempts in all, at least 1
 * @param initialBackoff wait before the second attempt
 * @param multiplier growth of the wait per attempt, at least 1
 * @param maxBackoff the longest wait
 */
public record RequestRetry(
    int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {

  /** 5 attempts, 200 ms doubling up to 5 s. */
  public static final RequestRetry DEFAULT =
      new RequestRetry(5, Duration.ofMillis(200), 2.0, Duration.ofSeconds(5));

  /** One attempt, no retry. */
  public static final RequestRetry NONE =
      new RequestRetry(1, Duration.ofMillis(1), 1.0, Duration.ofMillis(1));

  public RequestRetry {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, but was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException(
          "initialBackoff must be positive, but was " + initialBackoff);
    }
    if (!(multiplier >= 1.0)) {
      throw new IllegalArgumentException("multiplier must be >= 1, but was " + multiplier);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff must be >= initialBackoff " + initialBackoff + ", but was " + maxBackoff);
    }
  }
}
