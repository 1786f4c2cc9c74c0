package io.glidepath.kube.sync;

import java.time.Duration;

/**
 * How the engine waits between health polls and retries; tests substitute one that advances a
 * manual clock instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps on the calling thread. */
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

  /** Waits {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;
}
