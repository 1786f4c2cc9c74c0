package io.glidepath.analysis.internal;

import io.glidepath.analysis.provider.MetricProviderException;
import io.glidepath.core.NetworkFailure;
import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Shared HTTP helpers for providers: send with a timeout, map failures, redact URIs. */
public final class HttpSupport {
  private static final int EXCERPT = 300;
  private static volatile HttpClient insecureClient;

  private HttpSupport() {}

  /** The client a provider uses when none is given: a connect timeout, redirects followed. */
  public static HttpClient defaultClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /**
   * A client that skips TLS certificate and host name verification, for a template's {@code
   * insecure: true} (Argo's InsecureSkipVerify). Shared; built on first use.
   */
  public static HttpClient insecureClient() {
    HttpClient c = insecureClient;
    if (c == null) {
      synchronized (HttpSupport.class) {
        c = insecureClient;
        if (c == null) {
          try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {new TrustingManager()}, new SecureRandom());
            c =
                HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(30))
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .sslContext(ssl)
                    .build();
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
          }
          insecureClient = c;
        }
      }
    }
    return c;
  }

  /**
   * Trusts every certificate. Being an X509ExtendedTrustManager, JSSE uses it as is and does not
   * add the endpoint (host name) check it wraps around plain X509TrustManagers.
   */
  private static final class TrustingManager extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /**
   * The client for one request: {@code insecure} (a template's {@code insecure: true}, when the
   * provider allows it) gets the trusting client, otherwise {@code verifying}.
   */
  public static HttpClient clientFor(HttpClient verifying, boolean insecure) {
    return insecure ? insecureClient() : verifying;
  }

  /** A response body for an error message: one line, at most 300 characters. */
  public static String excerpt(String body) {
    String oneLine = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= EXCERPT ? oneLine : oneLine.substring(0, EXCERPT) + "...";
  }

  /** {@code k=v&...} with both sides URL-encoded, in the map's order. */
  public static String form(Map<String, String> params) {
    StringBuilder out = new StringBuilder();
    params.forEach(
        (k, v) -> {
          if (out.length() > 0) {
            out.append('&');
          }
          out.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
    return out.toString();
  }

  /** A path segment, percent-encoded (a space is %20, a slash %2F). */
  public static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code base} with {@code path} appended (one slash between them). */
  public static URI join(String base, String path) {
    String b = base.trim();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    return URI.create(b + (path.startsWith("/") ? path : "/" + path));
  }

  /** Parses {@code text} as a URI with a scheme and host, or throws naming {@code what}. */
  public static URI httpUri(String text, String what, String type) {
    URI uri;
    try {
      uri = URI.create(text.trim());
    } catch (IllegalArgumentException e) {
      throw new MetricProviderException(type, what + " is not a URL", e);
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new MetricProviderException(type, what + " is not a URL with scheme and host");
    }
    return uri;
  }

  /** Parses a JSON response body, or throws naming where it came from. */
  public static JsonNode json(HttpResponse<String> response, String type) {
    String where = safe(response.uri());
    try {
      JsonNode n = Yaml.mapper().readTree(response.body());
      if (n == null || n.isMissingNode()) {
        throw new MetricProviderException(
            type,
            where + " answered HTTP " + response.statusCode() + " without a body",
            response.statusCode(),
            null);
      }
      return n;
    } catch (JacksonException e) {
      throw new MetricProviderException(
          type,
          where
              + " answered HTTP "
              + response.statusCode()
              + " with a body that is not JSON: "
              + excerpt(response.body()),
          response.statusCode(),
          e);
    }
  }

  /** Throws unless the status is 2xx: the message names the status and the body's start. */
  public static void requireSuccess(HttpResponse<String> response, String type) {
    int status = response.statusCode();
    if (status / 100 != 2) {
      throw new MetricProviderException(
          type,
          safe(response.uri()) + " answered HTTP " + status + ": " + excerpt(response.body()),
          status,
          null);
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
