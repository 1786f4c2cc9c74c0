package io.glidepath.analysis.internal;

import io.glidepath.analysis.provider.MetricProviderException;
import io.glidepath.core.NetworkFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Shared HTTP helpers for providers: send with a timeout, map failures, redact URIs. */
public final class HttpSupport {
  private HttpSupport() {}

  /** The client a provider uses when none is given: a connect timeout, redirects followed. */
  public static HttpClient defaultClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /**
   * Refuses {@code insecure: true} (skipping TLS verification) in a provider's settings: Glidepath
   * verifies certificates always; a private CA belongs in the trust store.
   */
  public static void refuseInsecure(JsonNode config, String type) {
    if (config.path("insecure").asBoolean(false)) {
      throw new MetricProviderException(
          type, "insecure (skipping TLS verification) is not supported; configure a trust store");
    }
  }

  /** A URI without user info or query, safe for messages. */
  public static String safe(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme() + "://";
    String host = uri.getHost() == null ? "" : uri.getHost();
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return scheme + host + port + path;
  }

  /** Basic auth header value. */
  public static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Template headers ({@code [{key, value}]}) as a map. */
  public static Map<String, String> headers(JsonNode list, String type) {
    Map<String, String> out = new LinkedHashMap<>();
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw new MetricProviderException(type, "headers must be a list of {key, value}");
    }
    for (JsonNode h : list.values()) {
      String key = h.path("key").asString("");
      if (key.isEmpty()) {
        throw new MetricProviderException(type, "every header needs a key");
      }
      out.put(key, h.path("value").asString(""));
    }
    return out;
  }

  /** Sends {@code request} and returns the response body text. */
  public static HttpResponse<String> send(HttpClient client, HttpRequest request, String type) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new MetricProviderException(
          type,
          "request to "
              + safe(request.uri())
              + " timed out after "
              + request.timeout().map(Duration::toString).orElse("the client's timeout"),
          e);
    } catch (IOException e) {
      throw new MetricProviderException(
          type,
          "request to "
              + safe(request.uri())
              + " failed: "
              + NetworkFailure.describe(e)
                  .map(
                      words ->
                          "cannot reach " + NetworkFailure.endpoint(request.uri()) + ": " + words)
                  .orElse(
                      e.getClass().getSimpleName()
                          + (e.getMessage() == null ? "" : " " + e.getMessage())),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetricProviderException(
          type, "interrupted while waiting for " + safe(request.uri()), e);
    }
  }
}
