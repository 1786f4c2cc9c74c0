package io.glidepath.kube.apply;

import java.util.List;
import java.util.Objects;

/**
 * The results of one {@link Applier#apply} call, one per resource in plan order (namespaces it
 * created come first).
 *
 * @param results per-resource results
 * @param dryRunFailed whether the plan failed before its first write (a kind the cluster does not
 *     serve, or with {@link ApplyOptions#dryRunFirst()} the server dry run), in which case nothing
 *     was written
 */
public record ApplyReport(List<ApplyResult> results, boolean dryRunFailed) {
  public ApplyReport {
    Objects.requireNonNull(results, "results");
    results = List.copyOf(results);
  }

  /** Whether every resource was applied. */
  public boolean succeeded() {
    return !dryRunFailed && results.stream().allMatch(r -> r.outcome().succeeded());
  }

  /** The failed results. */
  public List<ApplyResult> failures() {
    return results.stream().filter(r -> r.outcome() == ApplyResult.Outcome.FAILED).toList();
  }
}
