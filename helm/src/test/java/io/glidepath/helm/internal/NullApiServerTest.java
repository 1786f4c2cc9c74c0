package io.glidepath.helm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NullApiServerTest {
  @Test
  void discoveryFindsNoResourcesAndEveryObjectIsNotFound() throws Exception {
    NullApiServer api = NullApiServer.start();
    try {
      HttpClient client = HttpClient.newHttpClient();

      HttpResponse<String> core = get(client, api.url() + "/api/v1?timeout=32s");
      HttpResponse<String> group = get(client, api.url() + "/apis/apps/v1?timeout=32s");
      HttpResponse<String> object =
          get(client, api.url() + "/api/v1/namespaces/default/secrets/db");
      HttpResponse<String> posted =
          client.send(
              HttpRequest.newBuilder(URI.create(api.url() + "/api/v1/namespaces"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"Namespace\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(core.statusCode()).isEqualTo(200);
      assertThat(core.body()).contains("\"groupVersion\":\"v1\"", "\"resources\":[]");
      assertThat(group.body()).contains("\"groupVersion\":\"apps/v1\"");
      assertThat(object.statusCode()).isEqualTo(404);
      assertThat(object.body()).contains("\"reason\":\"NotFound\"");
      assertThat(object.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(posted.statusCode()).isEqualTo(404);
    } finally {
      api.stop();
    }
  }

  @Test
  void anOversizedOrMalformedRequestIsRefusedNotServed() throws IOException {
    String huge = "GET /api/v1?timeout=1s HTTP/1.1\r\nX: " + "a".repeat(NullApiServer.MAX_HEAD);

    assertThat(answer(huge)).startsWith("HTTP/1.1 431 ");
    assertThat(answer("NONSENSE\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    assertThat(answer("GET /api/v1?timeout=1s HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ")
        .contains("Connection: close");
  }

  @Test
  void aRequestCutShortInItsHeadIsDropped() {
    assertThatThrownBy(() -> answer("GET /api/v1 HTTP/1.1\r\n")).isInstanceOf(IOException.class);
  }

  private static String answer(String request) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    NullApiServer.answer(
        new ByteArrayInputStream(request.getBytes(StandardCharsets.ISO_8859_1)), out);
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
