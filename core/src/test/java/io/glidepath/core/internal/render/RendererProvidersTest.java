package io.glidepath.core.internal.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RendererProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RendererProvidersTest {
  /** A provider only a loader of the test's own offers; renders nothing. */
  public static final class Marker implements RendererProvider {
    @Override
    public Optional<ManifestRenderer> rendererFor(Path appDir) {
      return Optional.empty();
    }
  }

  @Test
  void theProvidersAreLookedUpOncePerLoader() {
    assertThat(RendererProviders.all()).isSameAs(RendererProviders.all());
  }

  @Test
  void aLoaderOfferingAnotherProviderSeesItsOwn(@TempDir Path dir) throws Exception {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(services.resolve(RendererProvider.class.getName()), Marker.class.getName());
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    try (URLClassLoader own = new URLClassLoader(new URL[] {dir.toUri().toURL()}, before)) {
      thread.setContextClassLoader(own);
      assertThat(RendererProviders.all()).anyMatch(p -> p instanceof Marker);
      assertThat(RendererProviders.all()).isSameAs(RendererProviders.all());
    } finally {
      thread.setContextClassLoader(before);
    }
    assertThat(RendererProviders.all()).noneMatch(p -> p instanceof Marker);
  }
}
