package io.glidepath.analysis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where an {@link AnalysisRun} gets its time and runs its measurements.
 *
 * <p>Production code uses {@link #of(ScheduledExecutorService, Clock)}; tests and replays use a
 * {@link VirtualScheduler}, which runs tasks in virtual time without waiting.
 *
 * <p>Implementations must be thread-safe.
 */
public interface AnalysisScheduler {
  /** The current time. */
  Instant now();

  /** Runs {@code task} after {@code delay}; the returned handle cancels it. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not started. */
    void cancel();
  }

  /** A scheduler on a JDK executor and clock. The caller owns (and shuts down) the executor. */
  static AnalysisScheduler of(ScheduledExecutorService executor, Clock clock) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(clock, "clock");
    return new AnalysisScheduler() {
      @Override
      public Instant now() {
        return clock.instant();
      }

      @Override
      public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> f =
            executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }
    };
  }
}
