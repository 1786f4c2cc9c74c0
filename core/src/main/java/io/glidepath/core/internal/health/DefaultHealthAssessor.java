package io.glidepath.core.internal.health;

import io.glidepath.core.health.ApplicationHealth;
import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.health.HealthCheck;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The {@link HealthAssessor} behind {@link HealthAssessor#builder()}. Immutable. */
public final class DefaultHealthAssessor implements HealthAssessor {
  private final Map<String, HealthCheck> checks;

  public DefaultHealthAssessor(Map<String, HealthCheck> checks) {
    this.checks = Map.copyOf(checks);
  }

  @Override
  public Health assess(Resource live) {
    if (live.body().path("metadata").path("deletionTimestamp").isString()) {
      return Health.of(HealthStatus.PROGRESSING, "Pending deletion");
    }
    HealthCheck check = checks.get(BuiltinChecks.key(live.group(), live.kind()));
    if (check == null) {
      return Health.healthy();
    }
    try {
      return check.check(live);
    } catch (RuntimeException e) {
      // a check must not break the assessment of the rest; its message names no values
      return Health.of(
          HealthStatus.UNKNOWN, "health check failed: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public ApplicationHealth assess(ResourceSet desired, ResourceSet live) {
    Map<ResourceKey, Health> out = new LinkedHashMap<>();
    for (Resource d : desired) {
      Optional<Resource> l = live.get(d.key());
      out.put(
          d.key(),
          l.map(this::assess).orElse(Health.of(HealthStatus.MISSING, "not found in the cluster")));
    }
    return ApplicationHealth.of(out);
  }
}
