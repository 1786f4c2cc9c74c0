package io.glidepath.rollout.driver;

/** A rollout's phase, with Argo Rollouts' names. */
public enum RolloutPhase {
  /** Steps are running. */
  PROGRESSING("Progressing"),
  /** Waiting for a human: an indefinite pause, an Inconclusive analysis or {@code pause()}. */
  PAUSED("Paused"),
  /** Fully promoted: the canary is the stable version. */
  HEALTHY("Healthy"),
  /** Aborted and rolled back to the stable version. */
  DEGRADED("Degraded");

  private final String argoName;

  RolloutPhase(String argoName) {
    this.argoName = argoName;
  }

  /** The name Argo Rollouts uses. */
  public String argoName() {
    return argoName;
  }

  @Override
  public String toString() {
    return argoName;
  }
}
