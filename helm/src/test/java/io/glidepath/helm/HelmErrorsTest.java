package io.glidepath.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RenderRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelmErrorsTest {
  @TempDir Path repo;

  private void badChart(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("templates"));
    Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: orders\nversion: 0.1.0\n");
    Files.writeString(dir.resolve("values.yaml"), "greeting: hello\n");
    Files.writeString(
        dir.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"
            + "  a: {{ .Values.greeting }}\n   b: 2\n");
  }

  @Test
  void aYamlErrorQuotesTheRenderedLinesInsteadOfHelmsDebugHint() throws IOException {
    badChart(repo.resolve("apps/orders"));

    assertThatThrownBy(
            () -> HelmRenderer.create().render(RenderRequest.builder(repo, "apps/orders").build()))
        .isInstanceOf(RenderException.class)
        .hasMessageStartingWith(
            "helm template failed for apps/orders: YAML parse error on"
                + " orders/templates/cm.yaml:")
        .hasMessageContaining("line 7: mapping values are not allowed in this context")
        .hasMessageContaining(
            "rendered orders/templates/cm.yaml:\n  5 | data:\n  6 |   a: hello\n> 7 |    b: 2")
        .message()
        .doesNotContain("--debug");
  }

  @Test
  void aChartAtTheRepositoryRootIsNamedByItsDirectory() throws IOException {
    Path root = repo.resolve("orders-chart");
    badChart(root);

    assertThatThrownBy(() -> HelmRenderer.create().render(RenderRequest.builder(root, "").build()))
        .hasMessageStartingWith("helm template failed for orders-chart: ");
  }

  @Test
  void messagesWithoutRenderedOutputLoseOnlyTheHint() {
    assertThat(
            HelmErrors.explain(
                "template: x/templates/a.yaml:3:4: executing ...: nil pointer\n\n"
                    + "Use --debug flag to render out invalid YAML"))
        .isEqualTo("template: x/templates/a.yaml:3:4: executing ...: nil pointer");
  }
}
