package io.glidepath.analysis.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.analysis.provider.MetricProviderException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

class HttpSupportTest {
  @Test
  void anUnreachableServerIsReportedWithHostPortAndTheCauseInWords() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query");

    assertThatThrownBy(
            () ->
                HttpSupport.send(
                    HttpClient.newHttpClient(), HttpRequest.newBuilder(uri).build(), "prometheus"))
        .isInstanceOf(MetricProviderException.class)
        .hasMessageContaining(
            "request to "
                + uri
                + " failed: cannot reach 127.0.0.1:"
                + port
                + ": connection refused (nothing listens on that port)");
  }
}
