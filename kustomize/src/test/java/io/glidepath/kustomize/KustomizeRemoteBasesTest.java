package io.glidepath.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.glidepath.core.render.KustomizeOptions;
import io.glidepath.core.render.RemoteBaseLoader;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.kustomize.KustomizeException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote bases against a recording loader that serves a local directory as the checkout. */
class KustomizeRemoteBasesTest {
  @TempDir Path tmp;

  /** Serves {@code checkout} for every URL and records what was asked and closed. */
  final class RecordingLoader implements RemoteBaseLoader {
    final List<String> asked = new ArrayList<>();
    final List<Duration> timeouts = new ArrayList<>();
    int closed;

    @Override
    public Checkout checkout(String repositoryUrl, Optional<String> ref, Duration timeout) {
      asked.add(repositoryUrl + "@" + ref.orElse("HEAD"));
      timeouts.add(timeout);
      return new Checkout() {
        @Override
        public Path root() {
          return tmp.resolve("checkout");
        }

        @Override
        public String commit() {
          return "0123456789abcdef0123456789abcdef01234567";
        }

        @Override
        public void close() {
          closed++;
        }
      };
    }
  }

  void write(String path, String content) throws IOException {
    Path p = tmp.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  RenderResult render(List<String> allowed, RemoteBaseLoader loader) {
    return KustomizeRenderer.of()
        .render(
            RenderRequest.builder(tmp.resolve("repo"), "app")
                .kustomize(KustomizeOptions.NONE.withAllowedRemoteBases(allowed))
                .remoteBases(loader)
                .build());
  }

  @Test
  void fetchesEachUrlAndRefOncePerRenderAndClosesTheCheckouts() throws IOException {
    write("checkout/a/kustomization.yaml", "resources:\n- cm.yaml\n");
    write("checkout/a/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
    write("checkout/b/kustomization.yaml", "namePrefix: b-\nresources:\n- ../a\n");
    write(
        "repo/app/kustomization.yaml",
        "resources:\n"
            + "- https://git.example.com/org/repo.git//b?ref=v1\n"
            + "components:\n"
            + "- https://git.example.com/org/repo.git//c?ref=v1\n");
    write(
        "checkout/c/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonLabels:\n  c: x\n");
    RecordingLoader loader = new RecordingLoader();

    RenderResult result = render(List.of("git.example.com/org/repo"), loader);

    assertThat(result.resources().toList())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.name()).isEqualTo("b-a");
              assertThat(r.labels()).containsEntry("c", "x");
              assertThat(r.origin().toString())
                  .contains("https://git.example.com/org/repo.git@0123456789ab//a/cm.yaml");
            });
    assertThat(loader.asked).containsExactly("https://git.example.com/org/repo.git@v1");
    assertThat(loader.closed).isEqualTo(1);
  }

  @Test
  void eachFetchGetsItsUrlsTimeoutOrKustomizesDefault() throws IOException {
    write("checkout/a/kustomization.yaml", "resources:\n- cm.yaml\n");
    write("checkout/a/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
    write("checkout/b/kustomization.yaml", "nameSuffix: -b\nresources:\n- ../a\n");
    write(
        "repo/app/kustomization.yaml",
        "resources:\n"
            + "- https://git.example.com/org/slow.git//a?ref=v1&timeout=2m\n"
            + "- https://git.example.com/org/quick.git//b?ref=v1\n");
    RecordingLoader loader = new RecordingLoader();

    render(List.of("git.example.com/org"), loader);

    assertThat(loader.asked)
        .containsExactly(
            "https://git.example.com/org/slow.git@v1", "https://git.example.com/org/quick.git@v1");
    assertThat(loader.timeouts).containsExactly(Duration.ofMinutes(2), Duration.ofSeconds(27));
  }

  @Test
  void aRepositoryWithSubmodulesIsRefusedUnlessTheUrlTurnsThemOff() throws IOException {
    write("checkout/a/kustomization.yaml", "resources:\n- cm.yaml\n");
    write("checkout/a/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
    write(
        "checkout/.gitmodules",
        "[submodule \"vendor/charts\"]\n\tpath = vendor/charts\n\turl = ../charts.git\n");
    write("repo/app/kustomization.yaml", "resources:\n- https://git.example.com/org/r.git//a\n");
    RecordingLoader loader = new RecordingLoader();
    KustomizeException e =
        catchThrowableOfType(
            KustomizeException.class, () -> render(List.of("git.example.com/org"), loader));
    assertThat(e.problem()).isEqualTo(Problem.REMOTE_RESOURCE);
    assertThat(e.kustomizationFile()).isEqualTo("app/kustomization.yaml");
    assertThat(e.entry()).isEqualTo("resources[0]");
    assertThat(e.getMessage()).contains("submodules").contains("submodules=false");
    assertThat(loader.closed).isEqualTo(1);

    write(
        "repo/app/kustomization.yaml",
        "resources:\n- https://git.example.com/org/r.git//a?submodules=false\n");
    assertThat(render(List.of("git.example.com/org"), loader).resources().size()).isEqualTo(1);
  }

  @Test
  void refusedBeforeAnyFetchWhenTheRepositoryIsNotAllowed() throws IOException {
    write("repo/app/kustomization.yaml", "resources:\n- https://git.example.com/org/repo//b\n");
    RecordingLoader loader = new RecordingLoader();
    KustomizeException e =
        catchThrowableOfType(
            KustomizeException.class, () -> render(List.of("git.example.com/other"), loader));
    assertThat(e.problem()).isEqualTo(Problem.REMOTE_RESOURCE);
    assertThat(e.kustomizationFile()).isEqualTo("app/kustomization.yaml");
    assertThat(loader.asked).isEmpty();
  }

  @Test
  void aRemoteFileEntryAndAPathOutsideTheCheckoutAreRefused() throws IOException {
    write("checkout/a/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
    write("repo/app/kustomization.yaml", "resources:\n- https://h.example.com/o/r//a/cm.yaml\n");
    RecordingLoader loader = new RecordingLoader();
    KustomizeException file =
        catchThrowableOfType(
            KustomizeException.class, () -> render(List.of("h.example.com"), loader));
    assertThat(file.problem()).isEqualTo(Problem.REMOTE_RESOURCE);
    assertThat(file.getMessage()).contains("must be a kustomization directory");
    assertThat(loader.closed).isEqualTo(1);

    write("repo/app/kustomization.yaml", "resources:\n- https://h.example.com/o/r//../repo\n");
    KustomizeException escape =
        catchThrowableOfType(
            KustomizeException.class, () -> render(List.of("h.example.com"), loader));
    assertThat(escape.problem()).isEqualTo(Problem.PATH_ESCAPE);
  }
}
