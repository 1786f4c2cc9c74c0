package io.glidepath.core.render;

import io.glidepath.core.internal.render.RendererProviders;
import java.io.IOException;
import java.nio.file.DirectoryStream;
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
 * <p>{@link #detect} picks the renderer the way Argo CD does: a {@code kustomization.yaml} (or
 * {@code .yml}, or {@code Kustomization}) makes a Kustomize app, else a {@code Chart.yaml} a Helm
 * app, anything else a plain directory; {@link #named} gives the renderer of a source that names
 * its type. Helm and Kustomize live in their own modules ({@code glidepath-helm}, {@code
 * glidepath-kustomize}) and are found through {@link RendererProvider}.
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
   * The renderer for {@code appDir}, chosen as Argo CD's repository server does when a source names
   * no type: a kustomization file ({@link #KUSTOMIZATION_FILES}) makes a Kustomize app, even next
   * to a {@code Chart.yaml}; otherwise a file whose name ends in {@code Chart.yaml} makes a Helm
   * chart; otherwise a renderer another {@link RendererProvider} offers for the directory, or the
   * plain directory. Only the files directly in {@code appDir} count.
   *
   * @throws RenderException when the directory is a Helm chart or a Kustomize app but the module
   *     that renders it is not on the class path or module path
   */
  static ManifestRenderer detect(Path appDir) {
    for (String name : KUSTOMIZATION_FILES) {
      if (Files.isRegularFile(appDir.resolve(name))) {
        return named("kustomize", appDir + " is a Kustomize app (it has " + name + ")", appDir);
      }
    }
    Optional<String> chart = chartFile(appDir);
    if (chart.isPresent()) {
      return named("helm", appDir + " is a Helm chart (it has " + chart.get() + ")", appDir);
    }
    for (RendererProvider provider : RendererProviders.all()) {
      Optional<ManifestRenderer> renderer = provider.rendererFor(appDir);
      if (renderer.isPresent()) {
        return renderer.get();
      }
    }
    return directory();
  }

  /**
   * The renderer named {@code name} ({@code helm}, {@code kustomize} or {@code directory}) whatever
   * the directory holds, as Argo CD renders a source that names its type (its {@code helm}, {@code
   * kustomize} or {@code directory} block): a Helm source without a chart fails as {@code helm
   * template} would, a directory source renders a Kustomize app's files as they are.
   *
   * @throws RenderException when no renderer of that name is available (its module is not on the
   *     class path or module path)
   */
  static ManifestRenderer named(String name) {
    return named(name, "the source is a " + name + " source", null);
  }

  /**
   * The name of a file directly in {@code appDir} that makes it a Helm chart for Argo CD: {@code
   * Chart.yaml}, or any name that ends in it.
   */
  private static Optional<String> chartFile(Path appDir) {
    if (Files.isRegularFile(appDir.resolve("Chart.yaml"))) {
      return Optional.of("Chart.yaml");
    }
    if (!Files.isDirectory(appDir)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> named = Files.newDirectoryStream(appDir, "*Chart.yaml")) {
      for (Path p : named) {
        if (Files.isRegularFile(p)) {
          return Optional.of(p.getFileName().toString());
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new RenderException(
          "cannot list the app directory: " + e.getMessage(), appDir.toString(), e);
    }
  }

  /**
   * The renderer named {@code name}; for a detected {@code appDir} (null: none), also one a
   * provider that does not offer renderers by name offers for the directory under that name.
   */
  private static ManifestRenderer named(String name, String why, Path appDir) {
    if (name.equals("directory")) {
      return directory();
    }
    for (RendererProvider provider : RendererProviders.all()) {
      Optional<ManifestRenderer> renderer = provider.renderer(name);
      if (renderer.isPresent()) {
        return renderer.get();
      }
    }
    if (appDir != null) {
      for (RendererProvider provider : RendererProviders.all()) {
        Optional<ManifestRenderer> renderer =
            provider.rendererFor(appDir).filter(r -> r.name().equals(name));
        if (renderer.isPresent()) {
          return renderer.get();
        }
      }
    }
    throw new RenderException(
        why
            + ", but no "
            + (name.equals("helm") ? "Helm" : name.equals("kustomize") ? "Kustomize" : name)
            + " renderer is available"
            + (name.equals("helm") || name.equals("kustomize")
                ? ": add io.glidepath:glidepath-" + name
                : ""));
  }

  /** Detects the renderer for the request's application directory and renders it. */
  static RenderResult renderApp(RenderRequest request) {
    return detect(request.appDir()).render(request);
  }
}
