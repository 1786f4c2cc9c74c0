package io.glidepath.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that moves only when a test tells it to.
 *
 * <p>Inject it wherever Glidepath takes a clock, then {@link #advance(Duration)} to run timers
 * without waiting: {@code var clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));}
 *
 * <p>Thread-safe: reads and advances are atomic.
 */
public final class ManualClock extends Clock {
  private final ZoneId zone;
  private volatile Instant now;

  private ManualClock(Instant now, ZoneId zone) {
    this.now = Objects.requireNonNull(now, "now");
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /** A clock standing at {@code start}, in UTC. */
  public static ManualClock at(Instant start) {
    return new ManualClock(start, ZoneOffset.UTC);
  }

  /** Moves the clock forward; a negative duration is refused. */
  public synchronized Instant advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("by must not be negative, but was " + by);
    }
    now = now.plus(by);
    return now;
  }

  /** Sets the clock to {@code instant}, which must not be earlier than now. */
  public synchronized void set(Instant instant) {
    if (instant.isBefore(now)) {
      throw new IllegalArgumentException(
          "instant must not be before the current " + now + ", but was " + instant);
    }
    now = instant;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new ManualClock(now, zone);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
