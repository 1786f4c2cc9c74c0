package io.glidepath.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.render.GitCheckouts;
import io.glidepath.core.resource.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every source of a multi-source Application rendered, and what each source's render read. */
class ApplicationRendererTest {
  @TempDir Path repo;

  private static String configMap(String name, String level) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
        + name
        + "\ndata:\n  LEVEL: "
        + level
        + "\n";
  }

  private Application app() {
    return Application.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: shop}
        spec:
          sources:
            - {repoURL: "https://git.example.com/c.git", targetRevision: main, path: apps/web}
            - {repoURL: "https://git.example.com/c.git", targetRevision: main, path: apps/jobs}
            - {repoURL: "https://git.example.com/c.git", targetRevision: main, ref: values}
          destination: {server: "https://kubernetes.default.svc", namespace: shop}
        """,
        "shop.yaml");
  }

  private ApplicationRenderer.Builder renderer() throws Exception {
    Files.createDirectories(repo.resolve("apps/web"));
    Files.createDirectories(repo.resolve("apps/jobs"));
    Files.writeString(repo.resolve("apps/web/cm.yaml"), configMap("web", "info"));
    Files.writeString(repo.resolve("apps/jobs/cm.yaml"), configMap("jobs", "debug"));
    Files.writeString(repo.resolve("apps/jobs/also.yaml"), configMap("web", "from-jobs"));
    GitCheckouts local = (url, revision) -> GitCheckouts.Checkout.of(repo, "c0ffee");
    return ApplicationRenderer.builder().git(local);
  }

  @Test
  void combinesEverySourceAndTheLaterOneWinsARepeatedResource() throws Exception {
    RenderedApplication r = renderer().build().render(app());

    assertThat(r.resources().stream().map(Resource::name)).containsExactlyInAnyOrder("web", "jobs");
    Resource web = r.resources().stream().filter(x -> x.name().equals("web")).findFirst().get();
    assertThat(web.body().at("/data/LEVEL").asString()).isEqualTo("from-jobs");
    assertThat(r.warnings()).anyMatch(w -> w.startsWith("RepeatedResourceWarning"));
    assertThat(r.revisions()).containsExactly("c0ffee", "c0ffee", "c0ffee");
    assertThat(r.sources().get(2).renderer()).isEmpty();
    // nothing recorded unless asked
    assertThat(r.sources()).allMatch(s -> s.inputs().isEmpty());
  }

  @Test
  void recordsWhatEachSourceRead() throws Exception {
    RenderedApplication r = renderer().recordInputs().build().render(app());

    assertThat(r.sources().get(0).inputs()).contains("apps/web").noneMatch(p -> p.contains("jobs"));
    assertThat(r.sources().get(1).inputs())
        .contains("apps/jobs")
        .noneMatch(p -> p.contains("web/"));
    // a ref no source reads from: nothing of it is an input
    assertThat(r.sources().get(2).inputs()).isEmpty();
  }
}
