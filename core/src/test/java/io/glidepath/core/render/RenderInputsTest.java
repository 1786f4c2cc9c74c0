package io.glidepath.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A render records every path it resolved, so a later commit can tell whether it matters. */
class RenderInputsTest {
  @TempDir Path repo;

  @Test
  void recordsTheAppDirectoryAndEveryPathResolvedThroughTheRequest() throws Exception {
    Files.createDirectories(repo.resolve("apps/shop"));
    Files.createDirectories(repo.resolve("shared"));
    Files.writeString(
        repo.resolve("apps/shop/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
    Files.writeString(repo.resolve("shared/values.yaml"), "a: 1\n");
    Set<String> inputs = ConcurrentHashMap.newKeySet();
    RenderRequest request =
        RenderRequest.builder(repo, "./apps/shop/").recordInputs(inputs).build();
    DirectoryRenderer.INSTANCE.render(request);
    assertThat(inputs).contains("apps/shop");
    RepositoryPaths paths = request.paths();
    paths.resolve(Path.of("apps/shop"), "../../shared/values.yaml", "value file");
    // a missing file counts too: creating it later changes the render
    paths.resolveNew(Path.of("apps/shop"), "../../shared/missing.yaml", "value file");
    assertThat(inputs).contains("shared/values.yaml", "shared/missing.yaml");
  }

  @Test
  void aRequestWithoutARecorderRecordsNothingAndCopiesKeepTheRecorder() {
    Set<String> inputs = ConcurrentHashMap.newKeySet();
    RenderRequest plain = RenderRequest.builder(repo, ".").build();
    plain.paths();
    RenderRequest copy =
        RenderRequest.builder(repo, ".").recordInputs(inputs).build().newBuilder().build();
    copy.paths();
    assertThat(inputs).containsExactly("");
    assertThatThrownBy(() -> RenderRequest.builder(repo, ".").recordInputs(null))
        .isInstanceOf(NullPointerException.class);
  }
}
