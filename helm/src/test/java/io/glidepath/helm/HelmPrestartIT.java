package io.glidepath.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.helm.internal.HelmProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm render process started ahead of the render ({@link HelmProcess#prestart}) is the one the
 * render uses, and renders what a process started by the render would.
 */
class HelmPrestartIT {
  @TempDir Path tmp;

  private static final HelmProcess.Limits LIMITS =
      new HelmProcess.Limits(
          Duration.ofSeconds(HelmRenderer.DEFAULT_TIMEOUT_SECONDS),
          HelmRenderer.DEFAULT_MAX_OUTPUT_BYTES,
          HelmRenderer.DEFAULT_MAX_MEMORY_BYTES);

  /**
   * The JVMs this JVM started: the Helm render process (its arguments, a long class path, are not
   * always readable).
   */
  private static List<ProcessHandle> workers() {
    return ProcessHandle.current()
        .children()
        .filter(p -> p.info().command().map(c -> c.endsWith("/bin/java")).orElse(false))
        .toList();
  }

  private static List<ProcessHandle> awaitWorkers() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<ProcessHandle> workers = workers();
    while (workers.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      workers = workers();
    }
    return workers;
  }

  @Test
  void aProcessStartedAheadServesTheRender() throws IOException, InterruptedException {
    Path dir = Files.createDirectories(tmp.resolve("repo/apps/web/templates"));
    Files.writeString(
        dir.getParent().resolve("Chart.yaml"), "apiVersion: v2\nname: web\nversion: 0.1.0\n");
    Files.writeString(dir.getParent().resolve("values.yaml"), "greeting: hello\n");
    Files.writeString(
        dir.resolve("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n"
            + "  greeting: {{ .Values.greeting }}\n");
    HelmProcess.shared().stop();

    HelmProcess.shared().prestart(LIMITS);
    HelmProcess.shared().prestart(LIMITS); // a second call while it starts starts nothing more
    List<ProcessHandle> started = awaitWorkers();
    assertThat(started).as("the render process, started before any render").hasSize(1);

    RenderResult result =
        HelmRenderer.create()
            .render(RenderRequest.builder(tmp.resolve("repo"), "apps/web").build());

    assertThat(result.resources().size()).isEqualTo(1);
    assertThat(result.resources().iterator().next().at("/data/greeting").asText())
        .isEqualTo("hello");
    assertThat(workers()).as("the render used the process started ahead").isEqualTo(started);
  }
}
