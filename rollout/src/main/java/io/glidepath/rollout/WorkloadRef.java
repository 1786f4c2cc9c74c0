package io.glidepath.rollout;

import java.util.Objects;

/**
 * Argo Rollouts' {@code workloadRef}: the pod template comes from another workload (a Deployment),
 * which is scaled down as {@link #scaleDown()} says once the rollout takes over.
 *
 * @param apiVersion the workload's apiVersion, e.g. {@code apps/v1}
 * @param kind the workload's kind, e.g. {@code Deployment}
 * @param name the workload's name (in the rollout's namespace)
 * @param scaleDown when the workload is scaled down
 */
public record WorkloadRef(String apiVersion, String kind, String name, ScaleDown scaleDown) {
  /** Argo's {@code scaleDown} values. */
  public enum ScaleDown {
    /** {@code never}: the workload keeps its replicas (the default). */
    NEVER("never"),
    /** {@code onsuccess}: scaled to 0 once the rollout is healthy. */
    ON_SUCCESS("onsuccess"),
    /** {@code progressively}: scaled down as the rollout's available replicas grow. */
    PROGRESSIVELY("progressively");

    private final String argoName;

    ScaleDown(String argoName) {
      this.argoName = argoName;
    }

    /** The value in Argo's YAML. */
    public String argoName() {
      return argoName;
    }
  }

  public WorkloadRef {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(scaleDown, "scaleDown");
  }
}
