package io.glidepath.git.watch;

import io.glidepath.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A scheduler that runs tasks only when the test advances its {@link ManualClock}. */
final class ManualPollScheduler implements PollScheduler {
  private final ManualClock clock;
  private final List<Task> tasks = new ArrayList<>();
  final List<Duration> delays = new ArrayList<>();

  ManualPollScheduler(ManualClock clock) {
    this.clock = clock;
  }

  private static final class Task {
    final Instant due;
    final Runnable run;
    boolean cancelled;

    Task(Instant due, Runnable run) {
      this.due = due;
      this.run = run;
    }
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    delays.add(delay);
    Task t = new Task(clock.instant().plus(delay), task);
    tasks.add(t);
    return () -> t.cancelled = true;
  }

  /** Pending (not cancelled) tasks. */
  synchronized int pending() {
    return (int) tasks.stream().filter(t -> !t.cancelled).count();
  }

  /** The delay of the most recent schedule call. */
  synchronized Duration lastDelay() {
    return delays.get(delays.size() - 1);
  }

  /** Advances the clock to the next due task and runs it; false when none is pending. */
  boolean runNext() {
    Task next;
    synchronized (this) {
      next =
          tasks.stream()
              .filter(t -> !t.cancelled)
              .min(Comparator.comparing(t -> t.due))
              .orElse(null);
      if (next == null) {
        return false;
      }
      tasks.remove(next);
      if (next.due.isAfter(clock.instant())) {
        clock.set(next.due);
      }
    }
    next.run.run();
    return true;
  }
}
