package io.glidepath.core.health;

import io.glidepath.core.resource.Resource;

/**
 * Assesses one live resource of a given kind. Register your own per group/kind (or a wildcard
 * pattern) with {@link HealthAssessor.Builder#check}, or ship them in a library through a {@link
 * HealthCheckProvider}. For example, for a custom resource:
 *
 * <pre>{@code
 * HealthCheck backup = live ->
 *     "Completed".equals(live.at("/status/phase").asString(""))
 *         ? Health.healthy()
 *         : Health.of(HealthStatus.PROGRESSING, "backup " + live.name() + " is running");
 * }</pre>
 *
 * <p>A check also runs for objects being deleted ({@code metadata.deletionTimestamp} set): answer
 * Progressing with a message to say what the deletion waits for; any other answer is shown as
 * Progressing {@code "Pending deletion"}.
 *
 * <p>A check always answers for the kinds it is registered for. It is called on many threads at
 * once and must be thread-safe. An exception it throws does not escape the assessor: the resource's
 * health becomes {@link HealthStatus#UNKNOWN} with the exception's message (as Argo CD reports a
 * failing check); throw a {@link io.glidepath.core.GlidepathException} with a message fit for
 * people.
 */
@FunctionalInterface
public interface HealthCheck {
  Health check(Resource live);
}
