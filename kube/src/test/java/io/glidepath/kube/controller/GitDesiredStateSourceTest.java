package io.glidepath.kube.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.app.Application;
import io.glidepath.core.render.Parameter;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitCache;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitDesiredStateSourceTest {
  private static final CommitId COMMIT = CommitId.of("3f2a9c1d4e5f60718293a4b5c6d7e8f901234567");

  @Test
  void withoutParametersTheRevisionIsTheCommit() {
    assertThat(GitDesiredStateSource.revision(COMMIT, List.of())).isEqualTo(COMMIT.sha());
  }

  @Test
  void theRevisionNamesCommitAndParametersSoThatANewParameterIsANewRevision() {
    String tag1 =
        GitDesiredStateSource.revision(COMMIT, List.of(new Parameter("image.tag", "1", false)));
    String tag1Again =
        GitDesiredStateSource.revision(COMMIT, List.of(new Parameter("image.tag", "1", false)));
    String tag2 =
        GitDesiredStateSource.revision(COMMIT, List.of(new Parameter("image.tag", "2", false)));
    String tag1AsString =
        GitDesiredStateSource.revision(COMMIT, List.of(new Parameter("image.tag", "1", true)));

    assertThat(tag1).matches(COMMIT.sha() + "\\+[0-9a-f]{8}");
    assertThat(tag1Again).isEqualTo(tag1);
    assertThat(tag2).startsWith(COMMIT.sha()).isNotEqualTo(tag1);
    assertThat(tag1AsString).isNotEqualTo(tag1);
  }

  @Test
  void anAppNamingAnotherRepositoryThanTheSourcesIsAnErrorBeforeAnyFetch(@TempDir Path dir) {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: shop}
        spec:
          source: {repoURL: "%s", targetRevision: main, path: apps/shop}
          destination: {server: "https://kubernetes.default.svc", namespace: shop}
        """;
    Application built = Application.parse(yaml.formatted("https://git.example.com/a.git"), "a");
    Application edited = Application.parse(yaml.formatted("https://git.example.com/b.git"), "b");
    try (GitCache cache = GitCache.open(dir)) {
      GitDesiredStateSource source =
          GitDesiredStateSource.of(cache.source("https://git.example.com/a.git"), built);

      assertThatThrownBy(() -> source.fetch(edited))
          .isInstanceOf(GlidepathException.class)
          .hasMessageContaining("spec.source.repoURL is https://git.example.com/b.git")
          .hasMessageContaining("reads https://git.example.com/a.git");
    }
  }
}
