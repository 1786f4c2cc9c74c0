package io.glidepath.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.RenderLimitException;
import io.glidepath.core.render.RenderLimitException.Limit;
import io.glidepath.core.render.RenderRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chart cannot run the process out of time or memory: a render past its bounds is stopped,
 * reported as a RenderLimitException naming the chart, and the next render works.
 */
class HelmRenderLimitsIT {
  @TempDir Path tmp;

  private Path chart(String name, String template) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("repo/apps/" + name + "/templates"));
    Files.writeString(
        dir.getParent().resolve("Chart.yaml"),
        "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n");
    Files.writeString(dir.resolve("cm.yaml"), template);
    return tmp.resolve("repo");
  }

  private static String configMap(String value) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  v: " + value + "\n";
  }

  @Test
  void stopsARenderThatUsesTooMuchMemory() throws IOException {
    // the template: 400 million characters
    Path repo = chart("bomb", configMap("{{ repeat 400000000 \"x\" | quote }}"));
    HelmRenderer renderer = HelmRenderer.newBuilder().maxMemoryBytes(512L * 1024 * 1024).build();

    assertThatThrownBy(() -> renderer.render(RenderRequest.builder(repo, "apps/bomb").build()))
        .isInstanceOfSatisfying(
            RenderLimitException.class,
            e -> {
              assertThat(e.app()).isEqualTo("apps/bomb");
              assertThat(e.limit()).isIn(Limit.MEMORY, Limit.OUTPUT);
            })
        .hasMessageContaining("chart apps/bomb");
    assertRendersAgain(repo);
  }

  @Test
  void stopsARenderThatTakesTooLong() throws IOException {
    // a hundred million loop iterations that produce nothing
    Path repo =
        chart(
            "slow",
            "{{- range until 10000 }}{{- range until 10000 }}{{- end }}{{- end }}\n"
                + configMap("done"));
    HelmRenderer renderer = HelmRenderer.newBuilder().timeout(Duration.ofSeconds(3)).build();

    assertThatThrownBy(() -> renderer.render(RenderRequest.builder(repo, "apps/slow").build()))
        .isInstanceOfSatisfying(
            RenderLimitException.class, e -> assertThat(e.limit()).isEqualTo(Limit.TIME))
        .hasMessageContaining("chart apps/slow did not finish within 3 s");
    assertRendersAgain(repo);
  }

  @Test
  void refusesOutputLargerThanTheLimit() throws IOException {
    Path repo = chart("wide", configMap("{{ repeat 200000 \"x\" | quote }}"));
    HelmRenderer renderer = HelmRenderer.newBuilder().maxOutputBytes(100_000).build();

    assertThatThrownBy(() -> renderer.render(RenderRequest.builder(repo, "apps/wide").build()))
        .isInstanceOfSatisfying(
            RenderLimitException.class, e -> assertThat(e.limit()).isEqualTo(Limit.OUTPUT))
        .hasMessageContaining("chart apps/wide produced")
        .hasMessageContaining("more than the limit of 100000");
    assertThat(HelmRenderer.create().render(RenderRequest.builder(repo, "apps/wide").build()))
        .satisfies(r -> assertThat(r.resources().size()).isEqualTo(1));
  }

  private void assertRendersAgain(Path repo) throws IOException {
    chart("small", configMap("small"));
    assertThat(
            HelmRenderer.create()
                .render(RenderRequest.builder(repo, "apps/small").build())
                .resources()
                .size())
        .isEqualTo(1);
  }
}
