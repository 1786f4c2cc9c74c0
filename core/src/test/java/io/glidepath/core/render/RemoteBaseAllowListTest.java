package io.glidepath.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteBaseAllowListTest {
  @Test
  void matchesHostsOrganisationsAndRepositoriesByWholeSegments() {
    RemoteBaseAllowList list =
        RemoteBaseAllowList.of(List.of("GitHub.com/acme", "git.example.com:8443/a/b.git"));
    assertThat(list.allows("github.com", null, "acme/base.git")).isTrue();
    assertThat(list.allows("github.com", 443, "acme/sub/base")).isTrue();
    assertThat(list.allows("github.com", null, "acme-evil/base")).isFalse();
    assertThat(list.allows("github.com", null, "other/base")).isFalse();
    assertThat(list.allows("git.example.com", 8443, "a/b")).isTrue();
    assertThat(list.allows("git.example.com", null, "a/b")).isFalse();
    assertThat(list.allows("git.example.com", 8443, "a/c")).isFalse();
    assertThat(list.allows("evil.com", null, "acme/base")).isFalse();
  }

  @Test
  void aHostEntryAllowsEveryPortAndRepository() {
    RemoteBaseAllowList list = RemoteBaseAllowList.of(List.of("git.example.com"));
    assertThat(list.allows("git.example.com", 2222, "x/y")).isTrue();
    assertThat(RemoteBaseAllowList.of(List.of()).isEmpty()).isTrue();
  }

  @Test
  void refusesEntriesThatAreNotHostPaths() {
    for (String bad : List.of("", "https://h", "h/o?ref=x", "u@h", "h:0", "h:x", "h/../o", " h")) {
      assertThatThrownBy(() -> RemoteBaseAllowList.checkEntry(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(
            () -> KustomizeOptions.NONE.withAllowedRemoteBases(List.of("https://github.com")))
        .hasMessageContaining("HOST, HOST/ORG or HOST/ORG/REPO");
  }

  @Test
  void anAllowListIsPartOfTheOptionsAndNotEmpty() {
    KustomizeOptions o = KustomizeOptions.NONE.withAllowedRemoteBases(List.of("github.com"));
    assertThat(o.isEmpty()).isFalse();
    assertThat(o.withBuild(KustomizeOptions.BuildOptions.DEFAULTS).allowedRemoteBases())
        .containsExactly("github.com");
    assertThat(KustomizeOptions.NONE.allowedRemoteBases()).isEmpty();
  }
}
