package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.render.RendererProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class JarScansTest {
  @Test
  void thePresetRendererProvidersAreTheOnesTheServiceFilesName() {
    // a provider added to a service file must be added to the preset too, in the order the jar
    // lists them (the shaded jar merges the service files in class path order, as the lookup reads)
    assertThat(JarScans.rendererProviders())
        .extracting(p -> (Object) p.getClass())
        .containsExactlyElementsOf(
            ServiceLoader.load(RendererProvider.class).stream().map(p -> p.type()).toList());
  }
}
