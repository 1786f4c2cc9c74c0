package io.glidepath.core.render;

import io.glidepath.core.internal.render.RendererProviders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Turns an application directory of a Git repository into Kubernetes resources: a Helm chart, a
 * Kustomize overlay, or a plain directory of YAML and JSON.
 *
 * <pre>{@code
 * RenderRequest request = RenderRequest.builder(repoRoot, "apps/trade-service")
 *     .valueFiles("values.yaml", "values-production.yaml")
 *     .parameter("image.tag", "abc123")
 *     .build();
 * RenderResult result = ManifestRenderer.detect(request.appDir()).render(request);
 * }</pre>
 *
 * <p>{@link #detect} picks the renderer the way Argo CD does: a {@code Chart.yaml} makes a Helm
 * app, a {@code kustomization.yaml} (or {@code .yml}, or {@code Kustomization}) a Kustomize app,
 * anything else a plain directory. Helm and Kustomize live in their own modules ({@code
 * glidepath-helm}, {@code glidepath-kustomize}) and are found through {@link RendererProvider}.
 *
 * <p>Every renderer reads files only inside the request's repository root ({@link
 * RepositoryPaths}). Implementations are thread-safe.
 */
public interface ManifestRenderer {
  /** The file names that make a directory a Kustomize app, in kustomize's order. */
  List<String> KUSTOMIZATION_FILES =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  /** A short name for messages and results: {@code helm}, {@code kustomize}, {@code directory}. */
  String name();

  /**
   * Renders the application {@code request} names.
   *
   * @throws RenderException (or a subclass) naming the file and problem on bad input
   */
  RenderResult render(RenderRequest request);

  /** The plain-directory renderer. */
  static ManifestRenderer directory() {
    return DirectoryRenderer.INSTANCE;
  }

  /**
   * The renderer for {@code appDir}.
   *
   * @throws RenderException when the directory is a Helm chart or a Kustomize app but the module
   *     that renders it is not on the class path or module path
   */
  static ManifestRenderer detect(Path appDir) {
    for (RendererProvider provider : RendererProviders.all()) {
      Optional<ManifestRenderer> renderer = provider.rendererFor(appDir);
      if (renderer.isPresent()) {
        return renderer.get();
      }
    }
    if (Files.isRegularFile(appDir.resolve("Chart.yaml"))) {
      throw new RenderException(
          appDir
              + " is a Helm chart (it has Chart.yaml), but no Helm renderer is available: add"
              + " io.glidepath:glidepath-helm");
    }
    for (String name : KUSTOMIZATION_FILES) {
      if (Files.isRegularFile(appDir.resolve(name))) {
        throw new RenderException(
            appDir
                + " is a Kustomize app (it has "
                + name
                + "), but no Kustomize renderer is"
                + " available: add io.glidepath:glidepath-kustomize");
      }
    }
    return directory();
  }

  /** Detects the renderer for the request's application directory and renders it. */
  static RenderResult renderApp(RenderRequest request) {
    return detect(request.appDir()).render(request);
  }
}
