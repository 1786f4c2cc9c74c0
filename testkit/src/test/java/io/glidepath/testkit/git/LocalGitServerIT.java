package io.glidepath.testkit.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.testkit.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalGitServerIT {
  static LocalGitServer server;

  @BeforeAll
  static void start() {
    ExternalTool.require(ExternalTool.GIT);
    server = LocalGitServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void servesSeededRepositoriesOverGitDaemonAndFileUrls(@TempDir Path content) throws IOException {
    Files.writeString(content.resolve("values.yaml"), "tag: \"\"\n");
    String head = server.seed("seeded", content, "initial");

    assertThat(server.git(content, "ls-remote", server.url("seeded"), "refs/heads/main"))
        .startsWith(head + "\trefs/heads/main");
    assertThat(server.git(content, "ls-remote", server.fileUrl("seeded"), "refs/heads/main"))
        .startsWith(head);
    assertThat(server.show("seeded", "main", "values.yaml")).isEqualTo("tag: \"\"\n");
  }

  @Test
  void acceptsPushesOverGitDaemonButRefusesNonFastForwards(@TempDir Path work) {
    server.createBare("pushes");
    String first = server.commitFiles("pushes", Map.of("a.txt", "1\n"), "one");
    server.git(work, "clone", "--quiet", server.url("pushes"), "clone");
    Path clone = work.resolve("clone");
    server.git(clone, "commit", "--quiet", "--allow-empty", "-m", "two");
    server.git(clone, "push", "--quiet", "origin", "HEAD:main");
    assertThat(server.head("pushes", "main")).isNotEqualTo(first);

    server.git(clone, "reset", "--quiet", "--hard", first);
    server.git(clone, "commit", "--quiet", "--allow-empty", "-m", "rewritten");
    assertThatThrownBy(() -> server.git(clone, "push", "--quiet", "--force", "origin", "HEAD:main"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("non-fast-forward");
  }

  @Test
  void aStoppedDaemonRefusesConnectionsUntilStartedAgainOnTheSamePort(@TempDir Path work) {
    server.createBare("restart");
    server.commitFiles("restart", Map.of("a.txt", "1\n"), "one");
    int port = server.port();

    server.stopDaemon();
    try {
      assertThat(server.isRunning()).isFalse();
      assertThatThrownBy(() -> server.git(work, "ls-remote", server.url("restart")))
          .isInstanceOf(IllegalStateException.class);
    } finally {
      server.startDaemon();
    }
    assertThat(server.port()).isEqualTo(port);
    assertThat(server.git(work, "ls-remote", server.url("restart"))).contains("refs/heads/main");
  }

  @Test
  void servesSmartHttpBehindATokenWhenAsked(@TempDir Path work) {
    server.createBare("http");
    String head = server.commitFiles("http", Map.of("a.txt", "1\n"), "one");
    assertThat(server.git(work, "ls-remote", server.httpUrl("http"), "refs/heads/main"))
        .startsWith(head);

    server.requireHttpToken("x-access-token", "s3cret");
    try {
      String withToken = server.httpUrl("http").replace("http://", "http://x-access-token:s3cret@");
      assertThat(server.git(work, "ls-remote", withToken, "refs/heads/main")).startsWith(head);
      String wrong = server.httpUrl("http").replace("http://", "http://x-access-token:nope@");
      assertThatThrownBy(() -> server.git(work, "ls-remote", wrong))
          .isInstanceOf(IllegalStateException.class);
    } finally {
      server.requireHttpToken("x-access-token", "s3cret");
    }
  }
}
