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
}
