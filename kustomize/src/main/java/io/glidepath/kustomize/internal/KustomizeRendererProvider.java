package io.glidepath.kustomize.internal;

import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RendererProvider;
import io.glidepath.kustomize.KustomizeRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Offers {@link KustomizeRenderer} for directories that hold a kustomization file. */
public final class KustomizeRendererProvider implements RendererProvider {
  @Override
  public Optional<ManifestRenderer> rendererFor(Path appDir) {
    for (String name : ManifestRenderer.KUSTOMIZATION_FILES) {
      if (Files.isRegularFile(appDir.resolve(name))) {
        return Optional.of(KustomizeRenderer.of());
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<ManifestRenderer> renderer(String name) {
    return name.equals("kustomize") ? Optional.of(KustomizeRenderer.of()) : Optional.empty();
  }
}
