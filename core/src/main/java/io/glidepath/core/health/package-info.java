/**
 * Resource and application health: {@link io.glidepath.core.health.HealthAssessor} with built-in
 * checks per kind and overrides per group/kind, {@link io.glidepath.core.health.HealthStatus}
 * ordered by severity.
 *
 * <p>Everything here is non-null.
 */
package io.glidepath.core.health;
