package io.glidepath.kube.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.ResourceSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SourceTypeTest {
  private static ManifestRenderer named(String name) {
    return new ManifestRenderer() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public RenderResult render(RenderRequest request) {
        return new RenderResult(ResourceSet.empty(), name, List.of());
      }
    };
  }

  @Test
  void glidepathsRenderersMapToArgoCdsSourceTypes() {
    assertThat(SourceType.of(ManifestRenderer.directory())).contains(SourceType.DIRECTORY);
    assertThat(SourceType.of(named("helm")).map(SourceType::argoName)).contains("Helm");
    assertThat(SourceType.of(named("kustomize")).map(SourceType::argoName)).contains("Kustomize");
    assertThat(SourceType.of(new RenderResult(ResourceSet.empty(), "directory", List.of())))
        .map(SourceType::argoName)
        .contains("Directory");
  }

  @Test
  void aRendererOfAnotherNameHasNoSourceTypeRatherThanAGuess() {
    assertThat(SourceType.of(named("jsonnet"))).isEmpty();
    assertThat(new DesiredState("rev-1", ResourceSet.empty()).sourceType())
        .isEqualTo(Optional.empty());
  }
}
