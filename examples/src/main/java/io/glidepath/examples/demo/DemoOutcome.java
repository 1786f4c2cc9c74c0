package io.glidepath.examples.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link GitOpsDemo} run showed.
 *
 * @param v2Promoted the healthy build v2 went through every canary step to 100%
 * @param v3RolledBack the 8%-error build v3 failed its analysis and was rolled back
 * @param notification the rollback notification the webhook receiver got, if any
 * @param selfHealReverted a manual scale was reverted by selfHeal
 * @param backfillBranch the Git branch the emergency hotfix was written back to, if any
 * @param realPrometheus whether a real Prometheus answered the analyses (else the synthetic
 *     stand-in)
 * @param timeline one line per milestone
 * @param report the HTML report written, if any
 */
public record DemoOutcome(
    boolean v2Promoted,
    boolean v3RolledBack,
    Optional<String> notification,
    boolean selfHealReverted,
    Optional<String> backfillBranch,
    boolean realPrometheus,
    List<String> timeline,
    Optional<Path> report) {
  public DemoOutcome {
    Objects.requireNonNull(notification, "notification");
    Objects.requireNonNull(backfillBranch, "backfillBranch");
    Objects.requireNonNull(report, "report");
    timeline = List.copyOf(timeline);
  }

  /** This outcome with the report written to {@code file}. */
  public DemoOutcome withReport(Path file) {
    return new DemoOutcome(
        v2Promoted,
        v3RolledBack,
        notification,
        selfHealReverted,
        backfillBranch,
        realPrometheus,
        timeline,
        Optional.of(file));
  }

  /** The process exit code: 0 only when v2 was promoted and v3 rolled back. */
  public int exitCode() {
    return v2Promoted && v3RolledBack ? 0 : 1;
  }
}
