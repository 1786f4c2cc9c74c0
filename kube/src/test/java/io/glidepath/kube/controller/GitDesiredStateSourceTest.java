package io.glidepath.kube.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.render.Parameter;
import io.glidepath.git.CommitId;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
