package io.glidepath.core.render;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Service-provider interface through which renderers in other modules (Helm, Kustomize) offer
 * themselves to {@link ManifestRenderer#detect(Path)}. Registered with {@code
 * META-INF/services/io.glidepath.core.render.RendererProvider} or {@code provides} in a module
 * descriptor.
 */
public interface RendererProvider {
  /**
   * The renderer for {@code appDir}, when this provider recognizes it (Helm: a {@code Chart.yaml};
   * Kustomize: a {@code kustomization.yaml}).
   */
  Optional<ManifestRenderer> rendererFor(Path appDir);

  /**
   * The renderer named {@code name} ({@link ManifestRenderer#name()}: {@code helm}, {@code
   * kustomize}) when this provider offers it, whatever the directory holds: for a source that names
   * its type (an Application source's {@code helm}, {@code kustomize} block). Empty by default.
   */
  default Optional<ManifestRenderer> renderer(String name) {
    return Optional.empty();
  }
}
