package io.glidepath.benchmarks.kube;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in the harnesses: for a condition, with a progress line every 30 s. */
final class Waits {
  private static final long REPORT_NANOS = 30_000_000_000L;

  private Waits() {}

  /**
   * Returns once {@code condition} holds, asking every {@code poll}; prints {@code progress} every
   * 30 s and throws with it when {@code timeout} has passed.
   */
  static void until(
      BooleanSupplier condition, Duration timeout, Duration poll, Supplier<String> progress)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long nextReport = start + REPORT_NANOS;
    while (!condition.getAsBoolean()) {
      long now = System.nanoTime();
      if (now > deadline) {
        throw new IllegalStateException("timed out waiting: " + progress.get());
      }
      if (now > nextReport) {
        System.out.println("  ... " + progress.get());
        nextReport = now + REPORT_NANOS;
      }
      Thread.sleep(poll.toMillis());
    }
  }
}
