package io.glidepath.helm;

import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RendererProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Offers {@link HelmRenderer} for directories holding a {@code Chart.yaml}. */
public final class HelmRendererProvider implements RendererProvider {
  @Override
  public Optional<ManifestRenderer> rendererFor(Path appDir) {
    return Files.isRegularFile(appDir.resolve("Chart.yaml"))
        ? Optional.of(HelmRenderer.create())
        : Optional.empty();
  }

  @Override
  public Optional<ManifestRenderer> renderer(String name) {
    return name.equals("helm") ? Optional.of(HelmRenderer.create()) : Optional.empty();
  }
}
