package io.glidepath.git.backfill;

import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.diff.ResourceDrift;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to backfill: one drifted resource of an application, the branch its manifests come from and
 * the application's path in the repository.
 *
 * <pre>{@code
 * BackfillRequest r = BackfillRequest.of("trade-service", "main", "apps/trade-service", drift)
 *     .withValueFiles(List.of("values-production.yaml"));
 * }</pre>
 *
 * @param application the application name, used in the branch name and commit message
 * @param branch the branch the application syncs from (never written to)
 * @param appPath the application's directory, repository-relative with {@code /} separators
 * @param drift a {@link DriftStatus#MODIFIED} entry of a drift report
 * @param valueFiles for Helm apps, the value files after the chart's {@code values.yaml}, relative
 *     to {@code appPath} (as in an Argo CD Application)
 */
public record BackfillRequest(
    String application,
    String branch,
    String appPath,
    ResourceDrift drift,
    List<String> valueFiles) {
  private static final Pattern APP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  public BackfillRequest {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(appPath, "appPath");
    Objects.requireNonNull(drift, "drift");
    valueFiles = List.copyOf(valueFiles);
    if (!APP.matcher(application).matches()) {
      throw new IllegalArgumentException(
          "application must be a name like trade-service, but was '" + application + "'");
    }
    if (branch.isBlank() || branch.startsWith("refs/") || branch.contains("..")) {
      throw new IllegalArgumentException(
          "branch must be a short branch name like main, but was '" + branch + "'");
    }
    appPath = appPath.equals(".") ? "" : appPath.replaceAll("/+$", "");
    if (appPath.startsWith("/") || appPath.contains("\\")) {
      throw new IllegalArgumentException(
          "appPath must be repository-relative with / separators, but was '" + appPath + "'");
    }
    for (String part : appPath.split("/", -1)) {
      if (!appPath.isEmpty() && (part.isEmpty() || part.equals(".") || part.equals(".."))) {
        throw new IllegalArgumentException(
            "appPath must not contain empty, . or .. segments, but was '" + appPath + "'");
      }
    }
    if (drift.status() != DriftStatus.MODIFIED) {
      throw new IllegalArgumentException(
          "drift must be MODIFIED, but "
              + drift.key()
              + " is "
              + drift.status()
              + " (only a changed resource has live values to write back)");
    }
  }

  /** A request without value files. */
  public static BackfillRequest of(
      String application, String branch, String appPath, ResourceDrift drift) {
    return new BackfillRequest(application, branch, appPath, drift, List.of());
  }

  /** This request with these Helm value files. */
  public BackfillRequest withValueFiles(List<String> files) {
    return new BackfillRequest(application, branch, appPath, drift, files);
  }
}
