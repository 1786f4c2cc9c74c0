package io.glidepath.analysis;

/**
 * The phase of a measurement, a metric or a whole analysis run, with Argo Rollouts' names and
 * order.
 *
 * <p>Completed phases are {@link #SUCCESSFUL}, {@link #FAILED}, {@link #ERROR} and {@link
 * #INCONCLUSIVE}. When several metrics end differently, the run takes the worst one, in this order
 * from best to worst: {@code Successful < Running < Pending < Inconclusive < Error < Failed}
 * ({@link #isWorseThan(AnalysisPhase)}).
 */
public enum AnalysisPhase {
  SUCCESSFUL("Successful", 0),
  RUNNING("Running", 1),
  PENDING("Pending", 2),
  INCONCLUSIVE("Inconclusive", 3),
  ERROR("Error", 4),
  FAILED("Failed", 5);

  private final String argoName;
  private final int rank;

  AnalysisPhase(String argoName, int rank) {
    this.argoName = argoName;
    this.rank = rank;
  }

  /** True for Successful, Failed, Error and Inconclusive. */
  public boolean isCompleted() {
    return this != RUNNING && this != PENDING;
  }

  /** True when this phase ranks worse than {@code other} in the order above. */
  public boolean isWorseThan(AnalysisPhase other) {
    return rank > other.rank;
  }

  /** The worse of two phases. */
  public static AnalysisPhase worst(AnalysisPhase a, AnalysisPhase b) {
    return b.isWorseThan(a) ? b : a;
  }

  /** The name Argo Rollouts uses, e.g. {@code Successful}. */
  public String argoName() {
    return argoName;
  }

  @Override
  public String toString() {
    return argoName;
  }
}
