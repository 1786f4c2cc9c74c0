package io.glidepath.rollout.driver;

/**
 * Receives a {@link RolloutDriver}'s events (steps, weights, pauses, analyses, aborts, promotions).
 *
 * <p>Called on the driver's thread; must be fast and never throw (an exception is caught and
 * ignored so that a listener can never stop a rollback). Do slow work, like HTTP, asynchronously,
 * as {@link WebhookNotifier} does.
 */
public interface RolloutListener {
  /** A listener that ignores everything. */
  RolloutListener NONE = new RolloutListener() {};

  /** Called for every event. */
  default void onEvent(RolloutEvent event) {}

  /** A listener calling {@code consumer} for every event. */
  static RolloutListener of(java.util.function.Consumer<RolloutEvent> consumer) {
    java.util.Objects.requireNonNull(consumer, "consumer");
    return new RolloutListener() {
      @Override
      public void onEvent(RolloutEvent event) {
        consumer.accept(event);
      }
    };
  }
}
