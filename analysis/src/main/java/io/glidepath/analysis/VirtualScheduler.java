package io.glidepath.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * An {@link AnalysisScheduler} in virtual time: tasks run only when the caller drives the
 * scheduler, and the clock jumps straight to each task's time.
 *
 * <p>Use it to test a template's run without waiting, and to replay history: {@code
 * VirtualScheduler s = VirtualScheduler.at(start); AnalysisRun.start(..., s, ...);
 * s.runUntilIdle();}. Tasks due at the same instant run in the order they were scheduled.
 *
 * <p>Thread-safe, but meant to be driven from one thread; tasks run on the driving thread.
 */
public final class VirtualScheduler implements AnalysisScheduler {
  private record Task(Instant at, long seq, Runnable body, boolean[] cancelled) {}

  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(
          (a, b) -> a.at.equals(b.at) ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));
  private Instant now;
  private long seq;

  private VirtualScheduler(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** A scheduler whose clock stands at {@code start}. */
  public static VirtualScheduler at(Instant start) {
    return new VirtualScheduler(start);
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    if (delay.isNegative()) {
      delay = Duration.ZERO;
    }
    boolean[] cancelled = {false};
    queue.add(new Task(now.plus(delay), seq++, task, cancelled));
    return () -> {
      synchronized (VirtualScheduler.this) {
        cancelled[0] = true;
      }
    };
  }

  /** Runs the next due task, moving the clock to its time; false if none is left. */
  public boolean runNext() {
    Task next;
    synchronized (this) {
      do {
        next = queue.poll();
      } while (next != null && next.cancelled[0]);
      if (next == null) {
        return false;
      }
      if (next.at.isAfter(now)) {
        now = next.at;
      }
    }
    next.body.run();
    return true;
  }

  /**
   * Runs tasks until none is left or {@code maxTasks} have run.
   *
   * @return the number of tasks run
   */
  public int runUntilIdle(int maxTasks) {
    int n = 0;
    while (n < maxTasks && runNext()) {
      n++;
    }
    return n;
  }

  /** Runs every task due up to {@code now + by} and leaves the clock there. */
  public void advance(Duration by) {
    Instant until;
    synchronized (this) {
      until = now.plus(by);
    }
    while (true) {
      synchronized (this) {
        Task head = queue.peek();
        while (head != null && head.cancelled[0]) {
          queue.poll();
          head = queue.peek();
        }
        if (head == null || head.at.isAfter(until)) {
          now = until;
          return;
        }
      }
      runNext();
    }
  }

  /** Number of tasks waiting (cancelled ones excluded). */
  public synchronized int pending() {
    return (int) queue.stream().filter(t -> !t.cancelled[0]).count();
  }
}
