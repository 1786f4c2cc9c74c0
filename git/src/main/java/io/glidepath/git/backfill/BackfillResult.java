package io.glidepath.git.backfill;

import io.glidepath.core.resource.ResourceKey;
import io.glidepath.git.CommitId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link DriftBackfill} did: the branch and commit it pushed (if any), the files it changed,
 * the fields written, the fields refused and why, and for Helm apps the values keys to change.
 *
 * @param resource the drifted resource
 * @param sourceType how the application is rendered
 * @param base the commit of the application's branch the backfill was made on
 * @param branch the new branch pushed for review; empty when nothing was committed
 * @param commit the pushed commit; empty when nothing was committed
 * @param changedFiles repository-relative paths changed by the commit
 * @param written the fields whose live values are now in the commit
 * @param refused the fields that were not written, with reasons
 * @param helmValues for Helm apps, one mapping per drifted field
 */
public record BackfillResult(
    ResourceKey resource,
    SourceType sourceType,
    CommitId base,
    Optional<String> branch,
    Optional<CommitId> commit,
    List<String> changedFiles,
    List<BackfilledField> written,
    List<RefusedField> refused,
    List<HelmValueMapping> helmValues) {
  public BackfillResult {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(sourceType, "sourceType");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(commit, "commit");
    changedFiles = List.copyOf(changedFiles);
    written = List.copyOf(written);
    refused = List.copyOf(refused);
    helmValues = List.copyOf(helmValues);
    if (branch.isPresent() != commit.isPresent()) {
      throw new IllegalArgumentException("branch and commit must both be present or both absent");
    }
  }

  /** Whether a commit was pushed. */
  public boolean committed() {
    return commit.isPresent();
  }
}
