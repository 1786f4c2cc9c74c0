package io.glidepath.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.internal.render.RendererProviders;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How detection finds the renderer of a Helm or Kustomize directory among the providers. */
class ManifestRendererDetectTest {
  @TempDir Path dir;

  /** A renderer of a given name that renders nothing. */
  private record Named(String name) implements ManifestRenderer {
    @Override
    public RenderResult render(RenderRequest request) {
      throw new UnsupportedOperationException();
    }
  }

  /** A provider written before providers offered renderers by name: it only recognizes dirs. */
  private static final class ByDirectoryOnly implements RendererProvider {
    @Override
    public Optional<ManifestRenderer> rendererFor(Path appDir) {
      return Files.isRegularFile(appDir.resolve("Chart.yaml"))
          ? Optional.of(new Named("helm"))
          : Optional.empty();
    }
  }

  private static <T> T withProviders(
      List<RendererProvider> providers, java.util.function.Supplier<T> run) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    try (URLClassLoader own = new URLClassLoader(new URL[0], before)) {
      RendererProviders.preset(own, providers);
      thread.setContextClassLoader(own);
      return run.get();
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  @Test
  void aChartWithoutAHelmRendererIsATypedErrorNamingTheModule() throws Exception {
    Files.writeString(dir.resolve("Chart.yaml"), "name: web\n");
    assertThatThrownBy(() -> withProviders(List.of(), () -> ManifestRenderer.detect(dir)))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("is a Helm chart (it has Chart.yaml)")
        .hasMessageContaining("add io.glidepath:glidepath-helm");
    assertThatThrownBy(() -> withProviders(List.of(), () -> ManifestRenderer.named("kustomize")))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("add io.glidepath:glidepath-kustomize");
  }

  @Test
  void aProviderThatOnlyRecognizesDirectoriesStillRendersThem() throws Exception {
    Files.writeString(dir.resolve("Chart.yaml"), "name: web\n");
    ManifestRenderer found =
        withProviders(List.of(new ByDirectoryOnly()), () -> ManifestRenderer.detect(dir));
    assertThat(found.name()).isEqualTo("helm");
    assertThat(withProviders(List.of(), () -> ManifestRenderer.named("directory")).name())
        .isEqualTo("directory");
  }
}
