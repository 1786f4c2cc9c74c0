package io.glidepath.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.resource.DuplicateResourceException;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.YamlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryRendererTest {
  @TempDir Path repo;
  Path app;

  private static String cm(String name) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n";
  }

  @BeforeEach
  void setUp() throws IOException {
    app = Files.createDirectories(repo.resolve("apps/plain"));
    Files.writeString(app.resolve("b.yaml"), cm("b"));
    Files.writeString(app.resolve("a.yml"), cm("a1") + "---\n" + cm("a2"));
    Files.writeString(
        app.resolve("c.json"),
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}");
    Files.writeString(app.resolve("README.md"), "# not yaml");
    Files.writeString(app.resolve(".hidden.yaml"), cm("hidden"));
    Files.createDirectories(app.resolve("sub"));
    Files.writeString(app.resolve("sub/d.yaml"), cm("d"));
  }

  private RenderResult render(RenderRequest.Builder b) {
    RenderRequest request = b.build();
    return ManifestRenderer.detect(request.appDir()).render(request);
  }

  @Test
  void rendersFilesInPathOrderWithoutRecursionByDefault() {
    RenderResult result = render(RenderRequest.builder(repo, "apps/plain"));
    assertThat(result.renderer()).isEqualTo("directory");
    assertThat(result.resources().stream().map(Resource::name))
        .containsExactly("a1", "a2", "b", "c");
    assertThat(result.resources().toList().get(1).origin().toString())
        .isEqualTo("apps/plain/a.yml:6:1");
  }

  @Test
  void recursesWhenAsked() {
    RenderResult result = render(RenderRequest.builder(repo, "apps/plain").recurse(true));
    assertThat(result.resources().stream().map(Resource::name))
        .containsExactly("a1", "a2", "b", "c", "d");
  }

  @Test
  void appliesIncludeAndExcludeGlobs() {
    assertThat(
            render(RenderRequest.builder(repo, "apps/plain").recurse(true).include("*.yaml"))
                .resources()
                .stream()
                .map(Resource::name))
        .containsExactly("b", "d");
    assertThat(
            render(
                    RenderRequest.builder(repo, "apps/plain")
                        .recurse(true)
                        .exclude("{sub/*,*.json}"))
                .resources()
                .stream()
                .map(Resource::name))
        .containsExactly("a1", "a2", "b");
  }

  @Test
  void refusesASymlinkedManifestOutsideTheRepository(@TempDir Path elsewhere) throws IOException {
    Path secret = Files.writeString(elsewhere.resolve("s.yaml"), cm("stolen"));
    Files.createSymbolicLink(app.resolve("z.yaml"), secret);
    assertThatThrownBy(() -> render(RenderRequest.builder(repo, "apps/plain")))
        .isInstanceOf(PathEscapeException.class)
        .hasMessageContaining("apps/plain/z.yaml");
  }

  @Test
  void namesTheFileAndLineOfABadDocument() throws IOException {
    Files.writeString(app.resolve("e.yaml"), cm("e") + "---\nkind: Service\nmetadata: {name: x}\n");
    assertThatThrownBy(() -> render(RenderRequest.builder(repo, "apps/plain")))
        .hasMessageContaining("apps/plain/e.yaml:6:1")
        .hasMessageContaining("no apiVersion");
  }

  @Test
  void namesBothFilesOfADuplicate() throws IOException {
    Files.writeString(app.resolve("e.yaml"), cm("b"));
    assertThatThrownBy(() -> render(RenderRequest.builder(repo, "apps/plain")))
        .isInstanceOf(DuplicateResourceException.class)
        .hasMessageContaining("apps/plain/b.yaml")
        .hasMessageContaining("apps/plain/e.yaml");
  }

  @Test
  void reportsInvalidYamlWithItsFile() throws IOException {
    Files.writeString(app.resolve("e.yaml"), "a: [\n");
    assertThatThrownBy(() -> render(RenderRequest.builder(repo, "apps/plain")))
        .isInstanceOf(YamlException.class)
        .hasMessageStartingWith("apps/plain/e.yaml:");
  }

  @Test
  void asksForTheHelmModuleWhenAChartHasNoRenderer() throws IOException {
    Path chart = Files.createDirectories(repo.resolve("apps/chart"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    assertThatThrownBy(() -> ManifestRenderer.detect(chart))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("glidepath-helm");
  }
}
