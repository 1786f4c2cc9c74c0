package io.glidepath.core.project;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ProjectGuard} decided about a render result or a sync plan.
 *
 * @param project the project checked against (the name the Application gives)
 * @param violations every rule broken; empty when permitted
 * @param retryAt when a sync window blocks the sync: when that block ends (a retry before then is
 *     refused again)
 */
public record ProjectVerdict(
    String project, List<ProjectViolation> violations, Optional<Instant> retryAt) {
  public ProjectVerdict {
    Objects.requireNonNull(project, "project");
    violations = List.copyOf(violations);
    Objects.requireNonNull(retryAt, "retryAt");
  }

  /** Whether nothing is violated. */
  public boolean permitted() {
    return violations.isEmpty();
  }

  /** Whether the only thing in the way is a sync window. */
  public boolean onlyWindowBlocks() {
    return !violations.isEmpty()
        && violations.stream().allMatch(v -> v.rule().equals(ProjectGuard.SYNC_WINDOWS));
  }

  /**
   * Does nothing when permitted.
   *
   * @throws ProjectViolationException naming every violation, otherwise
   */
  public void orThrow() {
    if (!permitted()) {
      throw new ProjectViolationException(project, violations);
    }
  }
}
