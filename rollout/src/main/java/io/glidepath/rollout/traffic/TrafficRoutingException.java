package io.glidepath.rollout.traffic;

import io.glidepath.rollout.RolloutException;

/**
 * A traffic router could not set or verify a route: the routing object is missing, has no matching
 * route, or read back with different weights than written.
 */
public final class TrafficRoutingException extends RolloutException {
  private static final long serialVersionUID = 1L;

  private final String router;
  private final String object;

  public TrafficRoutingException(String router, String object, String message) {
    super(router + " " + object + ": " + message);
    this.router = router;
    this.object = object;
  }

  /** The router's type, e.g. {@code istio}. */
  public String router() {
    return router;
  }

  /** The routing object, e.g. {@code VirtualService production/trade-service-vs}. */
  public String object() {
    return object;
  }
}
