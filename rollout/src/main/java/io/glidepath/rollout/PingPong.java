package io.glidepath.rollout;

import java.util.Objects;

/**
 * Argo Rollouts' {@code pingPong}: instead of fixed canary and stable Services, two Services take
 * the roles in turn; each new revision goes to the one that is not stable, and after promotion the
 * roles swap.
 *
 * @param pingService the Service that is stable first
 * @param pongService the other Service
 */
public record PingPong(String pingService, String pongService) {
  public PingPong {
    Objects.requireNonNull(pingService, "pingService");
    Objects.requireNonNull(pongService, "pongService");
    if (pingService.equals(pongService)) {
      throw new IllegalArgumentException(
          "pingService and pongService must differ, but both are '" + pingService + "'");
    }
  }
}
