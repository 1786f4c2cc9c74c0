package io.glidepath.core.health;

import io.glidepath.core.internal.health.BuiltinChecks;
import io.glidepath.core.internal.health.DefaultHealthAssessor;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Assesses the health of live resources, with a built-in check per kind: Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, Pod, Service (LoadBalancer ingress), Ingress, PersistentVolumeClaim, Job,
 * CronJob, HorizontalPodAutoscaler, PodDisruptionBudget, Namespace and Argo Rollouts' {@code
 * Rollout}. Any resource with a {@code metadata.deletionTimestamp} is {@link
 * HealthStatus#PROGRESSING}; kinds without a check are {@link HealthStatus#HEALTHY}.
 *
 * <pre>{@code
 * HealthAssessor assessor = HealthAssessor.builder()
 *     .override("cert-manager.io", "Certificate", myCertificateCheck)
 *     .build();
 * ApplicationHealth health = assessor.assess(desired, live);  // worst of all, Missing for absent
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public interface HealthAssessor {
  /** The built-in checks only. */
  static HealthAssessor ofDefaults() {
    return builder().build();
  }

  static Builder builder() {
    return new Builder();
  }

  /** The health of one live resource. */
  Health assess(Resource live);

  /**
   * The health of an application: each desired resource's live health ({@link HealthStatus#MISSING}
   * when absent), and the worst of them.
   */
  ApplicationHealth assess(ResourceSet desired, ResourceSet live);

  /** Builds a {@link HealthAssessor} with overrides per group/kind. */
  final class Builder {
    private final Map<String, HealthCheck> checks = new LinkedHashMap<>(BuiltinChecks.all());

    private Builder() {}

    /** Uses {@code check} for resources of {@code group}/{@code kind} ({@code ""} core group). */
    public Builder override(String group, String kind, HealthCheck check) {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(kind, "kind");
      checks.put(BuiltinChecks.key(group, kind), Objects.requireNonNull(check, "check"));
      return this;
    }

    public HealthAssessor build() {
      return new DefaultHealthAssessor(checks);
    }
  }
}
