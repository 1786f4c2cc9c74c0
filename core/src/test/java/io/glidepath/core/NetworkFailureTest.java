package io.glidepath.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class NetworkFailureTest {
  @Test
  void aRefusedConnectionIsSaidInWordsWhateverWrapsIt() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    IOException refused;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      throw new AssertionError("connected to a closed port " + socket);
    } catch (IOException e) {
      refused = e;
    }
    Throwable wrapped =
        new IllegalStateException("fetch failed", new UncheckedIOException(refused));

    assertThat(NetworkFailure.describe(wrapped))
        .contains("connection refused (nothing listens on that port)");
  }

  @Test
  void unknownHostsAndTimeoutsAreNamed() {
    assertThat(NetworkFailure.describe(new UnknownHostException("nohost.invalid")))
        .contains(
            "unknown host nohost.invalid (the name does not resolve: check the address and DNS)");
    assertThat(NetworkFailure.describe(new java.net.SocketTimeoutException("Read timed out")))
        .contains("timed out waiting for an answer");
  }

  @Test
  void otherFailuresAreNotNetworkFailures() {
    assertThat(NetworkFailure.describe(new IllegalArgumentException("bad"))).isEmpty();
    assertThat(NetworkFailure.describe(new IOException("disk full"))).isEmpty();
  }

  @Test
  void endpointsNameHostAndPortWithTheSchemesDefault() {
    assertThat(NetworkFailure.endpoint(URI.create("http://prometheus:9090/api")))
        .isEqualTo("prometheus:9090");
    assertThat(NetworkFailure.endpoint(URI.create("https://git.example.com/org/r.git")))
        .isEqualTo("git.example.com:443");
    assertThat(NetworkFailure.endpoint(URI.create("ssh://git@host/r.git"))).isEqualTo("host:22");
  }
}
