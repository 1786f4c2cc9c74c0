package io.glidepath.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationDestination;
import io.glidepath.core.app.ApplicationRenderer;
import io.glidepath.core.app.ApplicationSource;
import io.glidepath.core.app.DirectorySource;
import io.glidepath.core.app.HelmSource;
import io.glidepath.core.app.RenderedApplication;
import io.glidepath.core.render.GitCheckouts;
import io.glidepath.core.render.KustomizeOptions;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.resource.InvalidResourceException;
import io.glidepath.core.resource.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which tool renders an app, as Argo CD's repository server chooses: the one a source names by its
 * {@code helm}, {@code kustomize} or {@code directory} block whatever the directory holds, else the
 * one its files call for, a kustomization file winning over {@code Chart.yaml}.
 */
class SourceTypeSelectionTest {
  @TempDir Path repo;

  private Path app(String name) throws Exception {
    Path dir = repo.resolve("apps").resolve(name);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {LEVEL: info}\n");
    return dir;
  }

  private static void kustomization(Path dir) throws Exception {
    Files.writeString(dir.resolve("kustomization.yaml"), "namePrefix: k-\nresources: [cm.yaml]\n");
  }

  private static void chart(Path dir, String file) throws Exception {
    Files.writeString(dir.resolve(file), "apiVersion: v2\nname: web\nversion: 0.1.0\n");
  }

  private RenderedApplication render(ApplicationSource source) {
    Application app =
        Application.builder("web")
            .source(source)
            .destination(ApplicationDestination.inCluster("web"))
            .build();
    GitCheckouts local = (url, revision) -> GitCheckouts.Checkout.of(repo, "c0ffee");
    return ApplicationRenderer.builder().git(local).build().render(app);
  }

  private static ApplicationSource source(String path) {
    return ApplicationSource.of("https://git.example.com/configs.git", "main", path);
  }

  @Test
  void aKustomizationNextToAChartMakesAKustomizeApp() throws Exception {
    Path dir = app("both");
    kustomization(dir);
    chart(dir, "Chart.yaml");

    assertThat(ManifestRenderer.detect(dir).name()).isEqualTo("kustomize");
    RenderedApplication r = render(source("apps/both"));
    assertThat(r.resources().stream().map(Resource::name)).containsExactly("k-settings");
  }

  @Test
  void aFileWhoseNameEndsInChartYamlMakesAHelmApp() throws Exception {
    Path dir = app("suffix");
    chart(dir, "MyChart.yaml");

    assertThat(ManifestRenderer.detect(dir).name()).isEqualTo("helm");
    assertThat(ManifestRenderer.detect(app("plain")).name()).isEqualTo("directory");
  }

  @Test
  void aDirectoryBlockRendersAKustomizeAppsFilesAsTheyAre() throws Exception {
    kustomization(app("overlay"));

    // Argo CD reads every YAML file of a directory source: the kustomization too, which is no
    // Kubernetes object
    assertThatThrownBy(
            () ->
                render(
                    source("apps/overlay")
                        .withDirectory(
                            new DirectorySource(false, Optional.empty(), Optional.empty()))))
        .isInstanceOf(InvalidResourceException.class)
        .hasMessageContaining("apps/overlay/kustomization.yaml")
        .hasMessageContaining("no apiVersion");
    // without the kustomization, the same source renders its files unprefixed
    Files.delete(repo.resolve("apps/overlay/kustomization.yaml"));
    RenderedApplication r =
        render(
            source("apps/overlay")
                .withDirectory(new DirectorySource(false, Optional.empty(), Optional.empty())));
    assertThat(r.resources().stream().map(Resource::name)).containsExactly("settings");
  }

  @Test
  void aKustomizeBlockOnAChartIsRenderedByKustomize() throws Exception {
    chart(app("chart"), "Chart.yaml");

    assertThatThrownBy(() -> render(source("apps/chart").withKustomize(KustomizeOptions.NONE)))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("has no kustomization.yaml");
  }

  @Test
  void aHelmBlockOnAKustomizeAppIsRenderedByHelm() throws Exception {
    kustomization(app("overlay"));

    assertThatThrownBy(() -> render(source("apps/overlay").withHelm(HelmSource.ofValueFiles())))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("no Chart.yaml");
  }

  @Test
  void aSourceNamingTwoToolsIsRefused() throws Exception {
    kustomization(app("overlay"));
    ApplicationSource both =
        source("apps/overlay")
            .withHelm(HelmSource.ofValueFiles())
            .withKustomize(KustomizeOptions.NONE);

    assertThat(both.explicitTypes()).containsExactly("kustomize", "helm");
    assertThatThrownBy(() -> render(both))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("multiple application sources defined: Kustomize,Helm");
  }
}
