package io.glidepath.rollout.internal.driver;

/**
 * An engine that can stop acting (timers cancelled, analyses terminated; persisted state stays).
 */
public interface Stoppable {
  void stop();
}
