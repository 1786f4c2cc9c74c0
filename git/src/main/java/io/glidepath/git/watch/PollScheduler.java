package io.glidepath.git.watch;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link GitWatcher}'s polls after a delay. Inject one you drive by hand in tests; use
 * {@link #of(ScheduledExecutorService)} in production.
 */
@FunctionalInterface
public interface PollScheduler {
  /** Runs {@code task} once after {@code delay}; the handle cancels it if it has not started. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /** Schedules on {@code executor}. */
  static PollScheduler of(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return (delay, task) -> {
      ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
  }
}
