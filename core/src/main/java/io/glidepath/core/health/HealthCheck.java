package io.glidepath.core.health;

import io.glidepath.core.resource.Resource;

/**
 * Assesses one live resource of a given kind. Register your own per group/kind with {@link
 * HealthAssessor.Builder#override}, e.g. for a custom resource:
 *
 * <pre>{@code
 * HealthCheck certificate = live ->
 *     "True".equals(live.at("/status/conditions/0/status").asString())
 *         ? Health.healthy()
 *         : Health.of(HealthStatus.PROGRESSING, "certificate not issued yet");
 * }</pre>
 *
 * <p>Must be thread-safe and must not throw for odd content: return {@link HealthStatus#UNKNOWN}.
 */
@FunctionalInterface
public interface HealthCheck {
  Health check(Resource live);
}
