package io.glidepath.core.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RenderRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Globs a user writes (project rules, sync window matchers, directory include/exclude) are matched
 * in linear time (RE2/J): patterns that make a backtracking engine run for hours end at once. The
 * timeouts guard termination; they are not speed targets.
 */
class HostilePatternTest {
  private static final String STARS = "*a".repeat(25) + "b";
  private static final String NAME = "a".repeat(200);

  @Test
  @Timeout(60)
  void aProjectGlobWithManyStarsEndsAtOnce() {
    Project p =
        Project.builder("p")
            .sourceRepo(STARS)
            .destination(new Destination("*", "", "*"))
            .clusterResourceWhitelist(new GroupKind(STARS, STARS))
            .build();
    AppTarget target = new AppTarget(NAME, "https://" + NAME, "https://k", "", "ns", "argocd");

    assertThat(p.violations(target, io.glidepath.core.resource.ResourceSet.of(java.util.List.of())))
        .extracting(ProjectViolation::rule)
        .contains("sourceRepos");
    assertThat(new GroupKind(STARS, STARS).matches(NAME, NAME)).isFalse();
  }

  @Test
  @Timeout(60)
  void aSyncWindowMatcherWithManyStarsEndsAtOnce() {
    SyncWindow window =
        new SyncWindow(
            SyncWindow.Kind.DENY,
            "* * * * *",
            "1h",
            java.util.List.of(STARS),
            java.util.List.of(STARS),
            java.util.List.of(STARS),
            false,
            "UTC");

    assertThat(window.appliesTo(NAME, NAME, NAME)).isFalse();
  }

  @Test
  @Timeout(60)
  void aDirectoryIncludeWithManyStarsEndsAtOnce(@TempDir Path repo) throws IOException {
    Files.createDirectories(repo.resolve("app"));
    Files.writeString(
        repo.resolve("app/" + "a".repeat(200) + ".yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
    RenderRequest request = RenderRequest.builder(repo, "app").include(STARS).build();

    assertThat(ManifestRenderer.detect(request.appDir()).render(request).resources().size())
        .isZero();
  }

  @Test
  void aMalformedDirectoryGlobIsATypedError(@TempDir Path repo) throws IOException {
    Files.createDirectories(repo.resolve("app"));
    RenderRequest request = RenderRequest.builder(repo, "app").include("{a,b").build();

    assertThatThrownBy(() -> ManifestRenderer.detect(request.appDir()).render(request))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("{a,b");
  }
}
