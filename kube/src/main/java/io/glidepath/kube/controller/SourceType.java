package io.glidepath.kube.controller;

import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderResult;
import java.util.Optional;

/**
 * How an app's manifests were produced, as Argo CD names it in an Application's {@code
 * status.sourceType}: a Helm chart, a Kustomize app or a plain directory. Argo CD's fourth type,
 * {@code Plugin} (config management plugins), has no Glidepath renderer and so no constant here.
 *
 * <pre>{@code
 * RenderResult rendered = ManifestRenderer.detect(request.appDir()).render(request);
 * Optional<SourceType> type = SourceType.of(rendered); // HELM for a chart with Chart.yaml
 * }</pre>
 */
public enum SourceType {
  /** A Helm chart ({@code Chart.yaml}). */
  HELM("Helm"),
  /** A Kustomize app ({@code kustomization.yaml}). */
  KUSTOMIZE("Kustomize"),
  /** A plain directory of YAML and JSON files. */
  DIRECTORY("Directory");

  private final String argoName;

  SourceType(String argoName) {
    this.argoName = argoName;
  }

  /** The value of Argo CD's {@code status.sourceType}: {@code Helm}, {@code Kustomize}, ... */
  public String argoName() {
    return argoName;
  }

  /**
   * The type of what {@code renderer} renders, by its {@link ManifestRenderer#name() name} ({@code
   * helm}, {@code kustomize}, {@code directory}); empty for a renderer of another name (one the
   * caller wrote), whose type Glidepath cannot tell.
   */
  public static Optional<SourceType> of(ManifestRenderer renderer) {
    return ofRendererName(renderer.name());
  }

  /** The type of what produced {@code result} (its {@link RenderResult#renderer()}). */
  public static Optional<SourceType> of(RenderResult result) {
    return ofRendererName(result.renderer());
  }

  /** The type of what the renderer named {@code name} renders ({@code helm}, ...). */
  public static Optional<SourceType> ofName(String name) {
    return ofRendererName(name);
  }

  private static Optional<SourceType> ofRendererName(String name) {
    return switch (name) {
      case "helm" -> Optional.of(HELM);
      case "kustomize" -> Optional.of(KUSTOMIZE);
      case "directory" -> Optional.of(DIRECTORY);
      default -> Optional.empty();
    };
  }
}
