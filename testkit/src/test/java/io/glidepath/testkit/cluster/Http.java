package io.glidepath.testkit.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Raw HTTP against an embedded cluster, to send exactly the content types under test. */
final class Http {
  static final JsonMapper MAPPER = JsonMapper.builder().build();
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;

  Http(EmbeddedCluster cluster) {
    this.base = cluster.url();
  }

  record Answer(int status, JsonNode body) {}

  Answer send(String method, String path, String contentType, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.header("User-Agent", "glidepath-test/1.0");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = r.body().isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(r.body());
      return new Answer(r.statusCode(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Answer get(String path) {
    return send("GET", path, null, null);
  }

  Answer apply(String path, String manager, boolean force, String body) {
    String sep = path.contains("?") ? "&" : "?";
    return send(
        "PATCH",
        path + sep + "fieldManager=" + manager + (force ? "&force=true" : ""),
        "application/apply-patch+yaml",
        body);
  }
}
