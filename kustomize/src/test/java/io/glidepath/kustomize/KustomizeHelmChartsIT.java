package io.glidepath.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.KustomizeOptions;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.Resource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code helmCharts} inflated by the embedded Helm engine (glidepath-helm, on the test class path
 * only), then transformed by the kustomization like any generated resource.
 */
class KustomizeHelmChartsIT {
  private static final Path REPO = Path.of("src/test/resources/helm-charts/local-chart/repo");

  private static RenderRequest request(boolean enableHelm) {
    return RenderRequest.builder(REPO, "app")
        .kustomize(
            KustomizeOptions.NONE.withBuild(
                new KustomizeOptions.BuildOptions(false, enableHelm, false)))
        .build();
  }

  @Test
  void inflatesALocalChartWithValuesFileAndInlineValuesThenAppliesTheOverlay() {
    RenderResult result = KustomizeRenderer.of().render(request(true));
    assertThat(result.resources()).hasSize(1);
    Resource d = result.resources().iterator().next();
    assertThat(d.name()).isEqualTo("shop-storefront-web");
    assertThat(d.namespace()).contains("retail");
    assertThat(d.body().at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(d.body().at("/spec/template/spec/containers/0/image").asString())
        .isEqualTo("registry.example/web:2.0");
  }

  @Test
  void refusesChartsWithoutTheEnableHelmOption() {
    assertThatThrownBy(() -> KustomizeRenderer.of().render(request(false)))
        .isInstanceOf(KustomizeException.class)
        .hasMessageContaining("--enable-helm")
        .satisfies(
            e ->
                assertThat(((KustomizeException) e).problem())
                    .isEqualTo(KustomizeException.Problem.UNSUPPORTED_FIELD));
  }

  private static RenderRequest enabled(Path repo) {
    return RenderRequest.builder(repo, "app")
        .kustomize(
            KustomizeOptions.NONE.withBuild(new KustomizeOptions.BuildOptions(false, true, false)))
        .build();
  }

  private static Path chartRepo(Path repo, String kustomization) throws java.io.IOException {
    java.nio.file.Files.createDirectories(repo.resolve("app/charts/probe/templates"));
    java.nio.file.Files.writeString(
        repo.resolve("app/charts/probe/Chart.yaml"),
        "apiVersion: v2\nname: probe\nversion: 0.1.0\n");
    java.nio.file.Files.writeString(
        repo.resolve("app/charts/probe/templates/cm.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: probe}
        data:
          secret: {{ (lookup "v1" "Secret" "kube-system" "admin") | toJson | quote }}
        """);
    java.nio.file.Files.writeString(repo.resolve("app/kustomization.yaml"), kustomization);
    return repo;
  }

  /** The same Helm process as a chart app: lookup reaches no cluster (HelmLookupIT). */
  @Test
  void aChartsLookupIsEmptyAsWithHelmTemplate(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws java.io.IOException {
    Path repo = chartRepo(tmp, "helmCharts:\n- name: probe\n  releaseName: probe\n");
    RenderResult result = KustomizeRenderer.of().render(enabled(repo));
    assertThat(result.resources().iterator().next().body().at("/data/secret").asString())
        .isEqualTo("{}");
  }

  @Test
  void aValuesFileOutsideTheRepositoryIsRefused(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws java.io.IOException {
    Path repo =
        chartRepo(
            tmp.resolve("repo"),
            "helmCharts:\n- name: probe\n  valuesFile: ../../../../../../../etc/passwd\n");
    assertThatThrownBy(() -> KustomizeRenderer.of().render(enabled(repo)))
        .isInstanceOf(KustomizeException.class)
        .satisfies(
            e ->
                assertThat(((KustomizeException) e).problem())
                    .isEqualTo(KustomizeException.Problem.PATH_ESCAPE))
        .message()
        .doesNotContain("root:");
  }
}
