package io.glidepath.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Argo CD path-traversal family: CVE-2022-24348, -24904, -31036, CVE-2023-40026. */
class PathSafetyTest {
  @TempDir Path tmp;
  Path repo;
  Path outside;
  RepositoryPaths paths;

  @BeforeEach
  void setUp() throws IOException {
    repo = Files.createDirectories(tmp.resolve("repo"));
    Files.createDirectories(repo.resolve("apps/app"));
    Files.createDirectories(repo.resolve("apps/other"));
    Files.writeString(repo.resolve("apps/other/values.yaml"), "a: 1\n");
    Files.writeString(repo.resolve("apps/app/values.yaml"), "a: 1\n");
    outside = Files.writeString(tmp.resolve("secret.yaml"), "password: hunter2\n");
    paths = RepositoryPaths.of(repo);
  }

  private Path app() {
    return Path.of("apps/app");
  }

  @Test
  void resolvesValueFilesRelativeToTheApp() {
    assertThat(paths.resolve(app(), "values.yaml", "value file"))
        .isEqualTo(paths.root().resolve("apps/app/values.yaml"));
  }

  @Test
  void allowsDotDotThatStaysInsideTheRepository() {
    assertThat(paths.resolve(app(), "../other/values.yaml", "value file"))
        .isEqualTo(paths.root().resolve("apps/other/values.yaml"));
  }

  @Test
  void refusesDotDotLeavingTheRepository() {
    assertThatThrownBy(() -> paths.resolve(app(), "../../../secret.yaml", "value file"))
        .isInstanceOf(PathEscapeException.class)
        .hasMessageContaining("../../../secret.yaml")
        .hasMessageContaining("outside the repository root");
  }

  @Test
  void refusesAbsolutePathsOutsideTheRepository() {
    assertThatThrownBy(() -> paths.resolve(app(), outside.toString(), "value file"))
        .isInstanceOf(PathEscapeException.class)
        .hasMessageContaining("outside the repository root");
    assertThatThrownBy(() -> paths.resolve(app(), "/etc/passwd", "value file"))
        .isInstanceOf(PathEscapeException.class);
  }

  @Test
  void acceptsAbsolutePathsInsideTheRepository() {
    Path inside = paths.root().resolve("apps/other/values.yaml");
    assertThat(paths.resolve(app(), inside.toString(), "value file")).isEqualTo(inside);
  }

  @Test
  void refusesUrls() {
    for (String url :
        new String[] {
          "https://evil.example.com/values.yaml",
          "http://x/v.yaml",
          "file:///etc/passwd",
          "s3://b/v"
        }) {
      assertThatThrownBy(() -> paths.resolve(app(), url, "value file"))
          .isInstanceOf(PathEscapeException.class)
          .hasMessageContaining("not a URL");
    }
  }

  @Test
  void aRefusedOrMissingPathIsNamedWithoutTheCredentialsOfAUrl() {
    assertThatThrownBy(
            () ->
                paths.resolve(app(), "https://bot:p@ss-s3cret@h.example.com/v.yaml", "value file"))
        .isInstanceOf(PathEscapeException.class)
        .hasMessageContaining("https://bot:***@h.example.com/v.yaml")
        .satisfies(e -> assertThat(((PathEscapeException) e).requested()).doesNotContain("s3cret"))
        .message()
        .doesNotContain("s3cret");
    // scp-like, which is not taken for a URL: a file that does not exist, named without it
    assertThatThrownBy(
            () -> paths.resolve(app(), "git:s3cret@h.example.com:org/v.yaml", "value file"))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("git:***@h.example.com")
        .message()
        .doesNotContain("s3cret");
  }

  @Test
  void refusesSymlinksResolvingOutside() throws IOException {
    Files.createSymbolicLink(repo.resolve("apps/app/linked.yaml"), outside);
    assertThatThrownBy(() -> paths.resolve(app(), "linked.yaml", "value file"))
        .isInstanceOf(PathEscapeException.class)
        .hasMessageContaining("symlink");
  }

  @Test
  void refusesFilesUnderASymlinkedDirectoryResolvingOutside() throws IOException {
    Path outDir = Files.createDirectories(tmp.resolve("outdir"));
    Files.writeString(outDir.resolve("v.yaml"), "a: 1\n");
    Files.createSymbolicLink(repo.resolve("apps/app/dir"), outDir);
    assertThatThrownBy(() -> paths.resolve(app(), "dir/v.yaml", "value file"))
        .isInstanceOf(PathEscapeException.class);
  }

  @Test
  void allowsSymlinksStayingInside() throws IOException {
    Files.createSymbolicLink(
        repo.resolve("apps/app/shared.yaml"), repo.resolve("apps/other/values.yaml"));
    assertThat(paths.resolve(app(), "shared.yaml", "value file"))
        .endsWith(Path.of("apps/other/values.yaml"));
  }

  @Test
  void refusesAnApplicationPathOutsideTheRepository() {
    RenderRequest request = RenderRequest.builder(repo, "../../..").build();
    assertThatThrownBy(request::appDir).isInstanceOf(PathEscapeException.class);
  }

  @Test
  void reportsMissingFilesByName() {
    assertThatThrownBy(() -> paths.resolve(app(), "values-qa.yaml", "value file"))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("value file \"values-qa.yaml\" not found");
  }
}
