package io.glidepath.rollout;

import java.util.Objects;

/**
 * Analysis that runs alongside the canary's steps, from step {@code startingStep} (0 = from the
 * start), and aborts the rollout when it fails or errors (an Inconclusive result pauses it).
 *
 * @param analysis the templates and arguments
 * @param startingStep the step index at which it starts
 */
public record BackgroundAnalysis(AnalysisRef analysis, int startingStep) {
  public BackgroundAnalysis {
    Objects.requireNonNull(analysis, "analysis");
  }
}
