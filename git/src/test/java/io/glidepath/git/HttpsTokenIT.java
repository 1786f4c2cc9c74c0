package io.glidepath.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.git.writeback.GitWriteBack;
import io.glidepath.git.writeback.WriteBackResult;
import io.glidepath.testkit.git.LocalGitServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token credentials against git's smart HTTP protocol (the transport of HTTPS remotes). */
class HttpsTokenIT {
  static final String TOKEN = "ghs_T0kenForTheGitopsRepo";
  static LocalGitServer server;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    server = GitTestSupport.startServer();
    server.seed(
        "gitops", GitTestSupport.seedGitopsRepo(Files.createTempDirectory("seed")), "initial");
    server.requireHttpToken("x-access-token", TOKEN);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theCiStepsUrlWithAnEmbeddedTokenFetchesAndPushes() throws Exception {
    String ciUrl =
        server.httpUrl("gitops").replace("http://", "http://x-access-token:" + TOKEN + "@");
    try (GitCache cache = GitCache.open(tmp.resolve("cache"))) {
      GitSource source = cache.source(ciUrl);
      assertThat(source.remote().url()).isEqualTo(server.httpUrl("gitops"));

      WriteBackResult result =
          GitWriteBack.builder(source)
              .build()
              .set("apps/trade-service/values.yaml", "image.tag", "0123abc");

      assertThat(result.head().sha()).isEqualTo(server.head("gitops", "main"));
      try (var repos = Files.list(tmp.resolve("cache/repos"))) {
        assertThat(repos.count()).isEqualTo(1);
      }
    }
  }

  @Test
  void aWrongTokenFailsAsATransportErrorThatNeverShowsTheToken() {
    String wrong = "ghs_WrongTokenValue123";
    try (GitCache cache = GitCache.open(tmp.resolve("cache"))) {
      GitSource source =
          cache.source(
              GitRemote.of(
                  server.httpUrl("gitops"), GitCredentials.httpsToken("x-access-token", wrong)));

      assertThatThrownBy(source::fetch)
          .isInstanceOfSatisfying(
              GitTransportException.class,
              e -> {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                assertThat(trace.toString()).doesNotContain(wrong).doesNotContain(TOKEN);
                assertThat(e.getMessage()).contains(server.httpUrl("gitops"));
              });
      GitSource none = cache.source(server.httpUrl("gitops"));
      assertThatThrownBy(none::fetch).isInstanceOf(GitTransportException.class);
    }
  }
}
