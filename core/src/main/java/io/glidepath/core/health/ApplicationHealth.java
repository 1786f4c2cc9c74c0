package io.glidepath.core.health;

import io.glidepath.core.resource.ResourceKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The health of an application, aggregated from its resources as Argo CD 3.4 does it.
 *
 * <ul>
 *   <li>A resource of a kind that has no health (no check answers for it) counts for nothing and is
 *       left out of {@link #resources()}, as Argo CD leaves {@code status.resources[].health} out.
 *   <li>The application is {@link HealthStatus#MISSING} only when every resource is missing (before
 *       the first sync, say); otherwise missing resources do not count (the sync status already
 *       says they are missing) and the application has the worst health of the others.
 *   <li>A child Argo CD {@code Application} that is Missing or Unknown does not count (app of
 *       apps).
 *   <li>No resource with health: {@link HealthStatus#HEALTHY}.
 * </ul>
 *
 * @param status the application's health
 * @param resources the health of each resource that has one (a missing resource is Missing), in
 *     desired order
 */
public record ApplicationHealth(HealthStatus status, Map<ResourceKey, Health> resources) {
  public ApplicationHealth {
    Objects.requireNonNull(status, "status");
    resources = Collections.unmodifiableMap(new LinkedHashMap<>(resources));
  }

  /**
   * The application health of resources with these healths ({@code Optional.empty()}: the resource
   * is there but has no health).
   */
  public static ApplicationHealth aggregate(Map<ResourceKey, Optional<Health>> resources) {
    Map<ResourceKey, Health> withHealth = new LinkedHashMap<>();
    boolean allMissing = !resources.isEmpty();
    List<HealthStatus> counted = new ArrayList<>();
    for (Map.Entry<ResourceKey, Optional<Health>> e : resources.entrySet()) {
      Optional<Health> h = e.getValue();
      if (h.isEmpty()) {
        allMissing = false;
        continue;
      }
      HealthStatus s = h.get().status();
      withHealth.put(e.getKey(), h.get());
      if (s != HealthStatus.MISSING) {
        allMissing = false;
      }
      boolean childApp =
          "argoproj.io".equals(e.getKey().group()) && "Application".equals(e.getKey().kind());
      if (s == HealthStatus.MISSING || (childApp && s == HealthStatus.UNKNOWN)) {
        continue;
      }
      counted.add(s);
    }
    return new ApplicationHealth(
        allMissing ? HealthStatus.MISSING : HealthStatus.worst(counted), withHealth);
  }
}
