package io.glidepath.kustomize.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteUrlTest {
  @Test
  void splitsTheRepositoryFromThePathAtTheDoubleSlash() throws Exception {
    RemoteUrl u = RemoteUrl.parse("https://git.example.com/org/repo.git//deploy/base?ref=v1");
    assertThat(u.cloneUrl()).isEqualTo("https://git.example.com/org/repo.git");
    assertThat(u.host()).isEqualTo("git.example.com");
    assertThat(u.port()).isNull();
    assertThat(u.repoPath()).isEqualTo("org/repo.git");
    assertThat(u.subPath()).isEqualTo("deploy/base");
    assertThat(u.ref()).contains("v1");
    assertThat(u.submodules()).isTrue();
    assertThat(u.timeout()).isEqualTo(Duration.ofSeconds(27));
  }

  @Test
  void readsTheGithubShorthandAsHttpsAndTakesOrgRepoWithoutDoubleSlash() throws Exception {
    RemoteUrl u = RemoteUrl.parse("github.com/acme/platform/overlays/prod?version=v2");
    assertThat(u.cloneUrl()).isEqualTo("https://github.com/acme/platform");
    assertThat(u.subPath()).isEqualTo("overlays/prod");
    assertThat(u.ref()).contains("v2");
  }

  @Test
  void refWinsOverVersionAndAnEmptyRefMeansTheDefaultBranch() throws Exception {
    assertThat(RemoteUrl.parse("https://h/o/r.git?version=a&ref=b").ref()).contains("b");
    assertThat(RemoteUrl.parse("https://h/o/r.git?ref=").ref()).isEqualTo(Optional.empty());
  }

  @Test
  void endsTheRepositoryAtDotGitAndStripsTheGitPrefix() throws Exception {
    RemoteUrl u = RemoteUrl.parse("git::https://h.example.com:8443/a/b/c.git/sub/dir");
    assertThat(u.cloneUrl()).isEqualTo("https://h.example.com:8443/a/b/c.git");
    assertThat(u.port()).isEqualTo(8443);
    assertThat(u.repoPath()).isEqualTo("a/b/c.git");
    assertThat(u.subPath()).isEqualTo("sub/dir");
  }

  @Test
  void readsSshAndScpLikeForms() throws Exception {
    RemoteUrl ssh = RemoteUrl.parse("ssh://git@h.example.com/org/repo.git//base");
    assertThat(ssh.cloneUrl()).isEqualTo("ssh://git@h.example.com/org/repo.git");
    RemoteUrl scp = RemoteUrl.parse("git@h.example.com:org/repo.git//base?ref=main");
    assertThat(scp.cloneUrl()).isEqualTo("git@h.example.com:org/repo.git");
    assertThat(scp.host()).isEqualTo("h.example.com");
    assertThat(scp.subPath()).isEqualTo("base");
  }

  @Test
  void readsTimeoutAndSubmodulesAsKustomizeDoes() throws Exception {
    RemoteUrl u = RemoteUrl.parse("https://h/o/r.git?timeout=61&submodules=false");
    assertThat(u.timeout()).isEqualTo(Duration.ofSeconds(61));
    assertThat(u.submodules()).isFalse();
    assertThat(RemoteUrl.parse("https://h/o/r.git?timeout=1m30s").timeout())
        .isEqualTo(Duration.ofSeconds(90));
    RemoteUrl bad = RemoteUrl.parse("https://h/o/r.git?timeout=soon&submodules=maybe&depth=1");
    assertThat(bad.timeout()).isEqualTo(Duration.ofSeconds(27));
    assertThat(bad.submodules()).isTrue();
    assertThat(bad.notes()).hasSize(3);
  }

  @Test
  void refusesPasswordsAndRedactsThemInMessages() {
    assertThatThrownBy(() -> RemoteUrl.parse("https://u:s3cret@h/o/r.git"))
        .hasMessageContaining("carries a password")
        .hasMessageNotContaining("s3cret");
    assertThat(RemoteUrl.redact("git::https://u:s3cret@h/o/r.git"))
        .isEqualTo("git::https://u:***@h/o/r.git");
    assertThat(RemoteUrl.redact("https://bot:p@ss-s3cret@h/o/r.git//base"))
        .isEqualTo("https://bot:***@h/o/r.git//base");
  }

  @Test
  void tellsSingleFilesFromRepositories() {
    assertThat(RemoteUrl.isSingleFile("https://raw.example.com/o/r/main/app.yaml")).isTrue();
    assertThat(RemoteUrl.isSingleFile("https://h/o/r.git//app.yaml")).isFalse();
    assertThat(RemoteUrl.isSingleFile("https://h/o/r//base?ref=v1")).isFalse();
  }

  @Test
  void refusesWhatIsNotAGitUrl() {
    assertThatThrownBy(() -> RemoteUrl.parse("gh:org/repo")).hasMessageContaining("gh:");
    assertThatThrownBy(() -> RemoteUrl.parse("https://h/onlyorg")).hasMessageContaining("ORG/REPO");
    assertThatThrownBy(() -> RemoteUrl.parse("gitlab.com/org/repo"))
        .hasMessageContaining("not a git URL");
  }
}
