package io.glidepath.core.app;

import io.glidepath.core.time.GoDuration;
import java.time.Duration;
import java.util.Objects;

/**
 * How a failed sync is retried ({@code syncPolicy.retry}): up to {@code limit} times, waiting
 * {@code duration * factor^n}, at most {@code maxDuration}.
 *
 * <pre>{@code
 * Retry r = new Retry(3, Retry.Backoff.DEFAULT);
 * r.backoff().delay(2); // 20s
 * }</pre>
 *
 * @param limit the number of retries; {@code -1} for no limit
 * @param backoff the waits between attempts
 */
public record Retry(int limit, Backoff backoff) {
  public Retry {
    if (limit < -1) {
      throw new IllegalArgumentException("retry limit must be >= -1, but was " + limit);
    }
    Objects.requireNonNull(backoff, "backoff");
  }

  /**
   * Exponential backoff ({@code syncPolicy.retry.backoff}).
   *
   * @param duration the first wait (Argo CD default 5s)
   * @param factor the multiplier per attempt (default 2)
   * @param maxDuration the longest wait (default 3m)
   */
  public record Backoff(Duration duration, long factor, Duration maxDuration) {
    /** Argo CD's defaults: 5s, x2, at most 3m. */
    public static final Backoff DEFAULT =
        new Backoff(Duration.ofSeconds(5), 2, Duration.ofMinutes(3));

    public Backoff {
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(maxDuration, "maxDuration");
      if (duration.isNegative()) {
        throw new IllegalArgumentException(
            "backoff duration must be >= 0, but was " + GoDuration.format(duration));
      }
      if (factor < 1) {
        throw new IllegalArgumentException("backoff factor must be >= 1, but was " + factor);
      }
      if (maxDuration.compareTo(duration) < 0) {
        throw new IllegalArgumentException(
            "backoff maxDuration must be >= duration ("
                + GoDuration.format(duration)
                + "), but was "
                + GoDuration.format(maxDuration));
      }
    }

    /** The wait before retry number {@code attempt} (0-based), capped at {@link #maxDuration}. */
    public Duration delay(int attempt) {
      if (attempt < 0) {
        throw new IllegalArgumentException("attempt must be >= 0, but was " + attempt);
      }
      Duration d = duration;
      for (int i = 0; i < attempt && d.compareTo(maxDuration) < 0; i++) {
        d = d.multipliedBy(factor);
      }
      return d.compareTo(maxDuration) > 0 ? maxDuration : d;
    }
  }
}
