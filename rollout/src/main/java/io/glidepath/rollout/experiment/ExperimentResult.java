package io.glidepath.rollout.experiment;

import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The state or outcome of an experiment: Pending until its ReplicaSets are available, Running, then
 * the worst phase of its analyses (Successful without any); Failed when a ReplicaSet does not
 * become available within progressDeadlineSeconds.
 *
 * @param phase the experiment's phase
 * @param analyses each analysis' result so far, by analysis name
 * @param message why it ended as it did, or empty
 */
public record ExperimentResult(
    AnalysisPhase phase, Map<String, AnalysisResult> analyses, String message) {
  public ExperimentResult {
    Objects.requireNonNull(phase, "phase");
    analyses = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(analyses));
    Objects.requireNonNull(message, "message");
  }

  public boolean isCompleted() {
    return phase.isCompleted();
  }
}
