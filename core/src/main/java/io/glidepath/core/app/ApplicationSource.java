package io.glidepath.core.app;

import io.glidepath.core.render.KustomizeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where an Application's manifests come from ({@code spec.source}).
 *
 * <pre>{@code
 * ApplicationSource s = ApplicationSource.of("https://git.example.com/org/gitops-configs.git",
 *         "main", "apps/trade-service")
 *     .withHelm(HelmSource.ofValueFiles("values.yaml", "values-production.yaml"));
 * }</pre>
 *
 * <p>Three kinds of source, as in Argo CD: a Git repository ({@code repoURL} a Git URL, {@code
 * path} the app directory), a chart of a Helm repository ({@code repoURL} {@code https://...},
 * {@code chart} its name, {@code targetRevision} a version or constraint), or a chart of an OCI
 * registry ({@code repoURL} {@code oci://registry/path}, or {@code registry/path} with {@code
 * enableOCI} in the repository's Secret, and {@code chart}).
 *
 * @param repoURL the Git repository, Helm repository or OCI registry
 * @param targetRevision branch, tag or commit (default {@code HEAD}); for a chart its version or a
 *     version constraint
 * @param path the application directory inside the repository ({@code ""} for the root)
 * @param chart a chart name, for Helm repositories and OCI registries
 * @param helm Helm options, when the source is a chart
 * @param directory plain-directory options
 * @param kustomize Kustomize overrides, when the source is a Kustomize overlay
 * @param ref in a multi-source application, the name other sources' Helm value files use for this
 *     source's checkout ({@code $ref/path})
 * @param name in a multi-source application, the source's name (Argo CD 2.14+), kept
 */
public record ApplicationSource(
    String repoURL,
    String targetRevision,
    String path,
    Optional<String> chart,
    Optional<HelmSource> helm,
    Optional<DirectorySource> directory,
    Optional<KustomizeOptions> kustomize,
    Optional<String> ref,
    Optional<String> name) {
  public ApplicationSource {
    Objects.requireNonNull(repoURL, "repoURL");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(chart, "chart");
    Objects.requireNonNull(helm, "helm");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(kustomize, "kustomize");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(name, "name");
    ref.ifPresent(
        r -> {
          if (!r.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException(
                "ref must be letters, digits, '-' or '_', but was \"" + r + "\"");
          }
        });
    if (repoURL.isBlank()) {
      throw new IllegalArgumentException("repoURL must not be blank");
    }
    targetRevision = targetRevision == null || targetRevision.isBlank() ? "HEAD" : targetRevision;
  }

  /** A source without a ref or a name. */
  public ApplicationSource(
      String repoURL,
      String targetRevision,
      String path,
      Optional<String> chart,
      Optional<HelmSource> helm,
      Optional<DirectorySource> directory,
      Optional<KustomizeOptions> kustomize) {
    this(
        repoURL,
        targetRevision,
        path,
        chart,
        helm,
        directory,
        kustomize,
        Optional.empty(),
        Optional.empty());
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

  /** A chart of a Helm repository or OCI registry at a version (or version constraint). */
  public static ApplicationSource ofChart(String repoURL, String chart, String version) {
    return new ApplicationSource(
        repoURL,
        version,
        "",
        Optional.of(chart),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  public ApplicationSource withHelm(HelmSource helm) {
    return new ApplicationSource(
        repoURL, targetRevision, path, chart, Optional.of(helm), directory, kustomize, ref, name);
  }

  public ApplicationSource withDirectory(DirectorySource directory) {
    return new ApplicationSource(
        repoURL, targetRevision, path, chart, helm, Optional.of(directory), kustomize, ref, name);
  }

  public ApplicationSource withKustomize(KustomizeOptions kustomize) {
    return new ApplicationSource(
        repoURL, targetRevision, path, chart, helm, directory, Optional.of(kustomize), ref, name);
  }

  /** This source, named {@code ref} for other sources' {@code $ref/...} value files. */
  public ApplicationSource withRef(String ref) {
    return new ApplicationSource(
        repoURL, targetRevision, path, chart, helm, directory, kustomize, Optional.of(ref), name);
  }

  /** This source at another target revision. */
  public ApplicationSource withTargetRevision(String revision) {
    return new ApplicationSource(
        repoURL, revision, path, chart, helm, directory, kustomize, ref, name);
  }

  /**
   * This source in Argo CD's JSON shape ({@code spec.source}: repoURL, path, targetRevision, helm,
   * directory, kustomize, chart, ref, name), empty values left out as Argo CD leaves them out.
   */
  public ObjectNode toJson() {
    return SourceJson.of(this);
  }

  /** Whether this source is a chart of a Helm repository or an OCI registry. */
  public boolean isChart() {
    return chart.filter(c -> !c.isBlank()).isPresent();
  }

  /**
   * The renderers this source names by its option blocks ({@code kustomize}, {@code helm}, {@code
   * directory}, in that order; an empty block counts): Argo CD renders a source that names one with
   * that tool whatever its directory holds, detects the tool of a source that names none, and
   * refuses a source that names more than one ({@code multiple application sources defined}).
   *
   * @return {@link io.glidepath.core.render.ManifestRenderer#name() renderer names}: {@code
   *     kustomize}, {@code helm}, {@code directory}
   */
  public List<String> explicitTypes() {
    List<String> types = new ArrayList<>(3);
    kustomize.ifPresent(k -> types.add("kustomize"));
    helm.ifPresent(h -> types.add("helm"));
    directory.ifPresent(d -> types.add("directory"));
    return List.copyOf(types);
  }

  /**
   * The renderer of this source checked out at {@code appDir}: the one its option block names
   * ({@link #explicitTypes}) whatever the directory holds, as Argo CD renders it, else the one
   * {@link io.glidepath.core.render.ManifestRenderer#detect detected} for the directory.
   *
   * @throws io.glidepath.core.render.RenderException when the source names more than one tool, or
   *     the module of the tool is not on the class path
   */
  public io.glidepath.core.render.ManifestRenderer renderer(java.nio.file.Path appDir) {
    List<String> types = explicitTypes();
    if (types.size() > 1) {
      throw new io.glidepath.core.render.RenderException(multipleTypes(types));
    }
    return types.isEmpty()
        ? io.glidepath.core.render.ManifestRenderer.detect(appDir)
        : io.glidepath.core.render.ManifestRenderer.named(types.get(0));
  }

  /**
   * Argo CD's refusal of a source that names more than one type ({@link #explicitTypes}), in its
   * words, e.g. {@code multiple application sources defined: Kustomize,Helm}.
   */
  public static String multipleTypes(List<String> types) {
    List<String> names = new ArrayList<>();
    for (String t : types) {
      names.add(
          switch (t) {
            case "kustomize" -> "Kustomize";
            case "helm" -> "Helm";
            case "directory" -> "Directory";
            default -> t;
          });
    }
    return "multiple application sources defined: "
        + String.join(",", names)
        + " (a source sets at most one of kustomize, helm and directory)";
  }

  /**
   * Whether this source only provides files to other sources: a {@code ref} without a path or a
   * chart, which Argo CD does not render.
   */
  public boolean isRefOnly() {
    return ref.isPresent() && path.isEmpty() && !isChart();
  }
}
