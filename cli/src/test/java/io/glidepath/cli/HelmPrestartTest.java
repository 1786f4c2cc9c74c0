package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which command lines start the Helm render process before they are parsed. */
class HelmPrestartTest {
  @TempDir Path tmp;

  private Path chart() throws IOException {
    Path chart = Files.createDirectories(tmp.resolve("chart"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    return chart;
  }

  @Test
  void aRenderDiffOrEnvDiffOfAChart() throws IOException {
    String chart = chart().toString();

    assertThat(HelmPrestart.chartOf(new String[] {"render", chart, "-f", "values.yaml"}))
        .isEqualTo(Path.of(chart));
    assertThat(HelmPrestart.chartOf(new String[] {"--verbose", "render", "-o", chart}))
        .isEqualTo(Path.of(chart));
    assertThat(HelmPrestart.chartOf(new String[] {"diff", chart, "--live", "x.yaml"}))
        .isEqualTo(Path.of(chart));
    assertThat(HelmPrestart.chartOf(new String[] {"env-diff", chart})).isEqualTo(Path.of(chart));
  }

  @Test
  void nothingElse() throws IOException {
    String chart = chart().toString();
    String plain = Files.createDirectories(tmp.resolve("plain")).toString();

    for (String[] args :
        new String[][] {
          {},
          {"render", plain},
          {"render", "--application", "app.yaml"},
          {"render", "-f", "values.yaml", chart},
          {"render", chart, "--help"},
          {"--version"},
          {"sync", chart},
          {"validate", chart},
          {"render", "@args.txt"},
          {"render", "\0"}
        }) {
      assertThat(HelmPrestart.chartOf(args)).as(String.join(" ", args)).isNull();
    }
  }
}
