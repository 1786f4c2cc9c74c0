package io.glidepath.core.health;

import io.glidepath.core.resource.ResourceKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The health of an application: the worst of its resources' health.
 *
 * @param status the worst resource status ({@link HealthStatus#HEALTHY} for no resources)
 * @param resources each resource's health, in desired order
 */
public record ApplicationHealth(HealthStatus status, Map<ResourceKey, Health> resources) {
  public ApplicationHealth {
    Objects.requireNonNull(status, "status");
    resources = Collections.unmodifiableMap(new LinkedHashMap<>(resources));
  }

  /** The health of an application with these resources. */
  public static ApplicationHealth of(Map<ResourceKey, Health> resources) {
    return new ApplicationHealth(
        HealthStatus.worst(resources.values().stream().map(Health::status).toList()), resources);
  }
}
