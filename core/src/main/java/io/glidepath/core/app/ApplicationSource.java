package io.glidepath.core.app;

import io.glidepath.core.render.KustomizeOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an Application's manifests come from ({@code spec.source}).
 *
 * <pre>{@code
 * ApplicationSource s = ApplicationSource.of("https://git.example.com/org/gitops-configs.git",
 *         "main", "apps/trade-service")
 *     .withHelm(HelmSource.ofValueFiles("values.yaml", "values-production.yaml"));
 * }</pre>
 *
 * @param repoURL the Git repository
 * @param targetRevision branch, tag or commit (default {@code HEAD})
 * @param path the application directory inside the repository ({@code ""} for the root)
 * @param chart a chart name, for Helm repositories
 * @param helm Helm options, when the source is a chart
 * @param directory plain-directory options
 * @param kustomize Kustomize overrides, when the source is a Kustomize overlay
 */
public record ApplicationSource(
    String repoURL,
    String targetRevision,
    String path,
    Optional<String> chart,
    Optional<HelmSource> helm,
    Optional<DirectorySource> directory,
    Optional<KustomizeOptions> kustomize) {
  public ApplicationSource {
    Objects.requireNonNull(repoURL, "repoURL");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(chart, "chart");
    Objects.requireNonNull(helm, "helm");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(kustomize, "kustomize");
    if (repoURL.isBlank()) {
      throw new IllegalArgumentException("repoURL must not be blank");
    }
    targetRevision = targetRevision == null || targetRevision.isBlank() ? "HEAD" : targetRevision;
  }

  /** A source without Kustomize overrides. */
  public ApplicationSource(
      String repoURL,
      String targetRevision,
      String path,
      Optional<String> chart,
      Optional<HelmSource> helm,
      Optional<DirectorySource> directory) {
    this(repoURL, targetRevision, path, chart, helm, directory, Optional.empty());
  }

  public static ApplicationSource of(String repoURL, String targetRevision, String path) {
    return new ApplicationSource(
        repoURL, targetRevision, path, Optional.empty(), Optional.empty(), Optional.empty());
  }

  public ApplicationSource withHelm(HelmSource helm) {
    return new ApplicationSource(
        repoURL, targetRevision, path, chart, Optional.of(helm), directory, kustomize);
  }

  public ApplicationSource withDirectory(DirectorySource directory) {
    return new ApplicationSource(
        repoURL, targetRevision, path, chart, helm, Optional.of(directory), kustomize);
  }

  public ApplicationSource withKustomize(KustomizeOptions kustomize) {
    return new ApplicationSource(
        repoURL, targetRevision, path, chart, helm, directory, Optional.of(kustomize));
  }
}
