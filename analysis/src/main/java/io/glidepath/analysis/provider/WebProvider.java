package io.glidepath.analysis.provider;

import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.TemplateException;
import io.glidepath.analysis.internal.HttpSupport;
import io.glidepath.analysis.internal.JsonPathSubset;
import io.glidepath.analysis.internal.ProviderOptions;
import io.glidepath.core.yaml.Yaml;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Calls an HTTP endpoint that answers JSON, for Argo Rollouts' {@code web} provider.
 *
 * <p>Template settings: {@code url}, {@code method} ({@code GET} default, {@code POST}, {@code
 * PUT}), {@code headers} ({@code [{key, value}]}), {@code body} (text) or {@code jsonBody} (an
 * object sent as JSON), {@code timeoutSeconds} (default {@value #DEFAULT_TIMEOUT_SECONDS}), and the
 * value to use: {@code jsonPath} (a subset: {@code {$.a.b[0]['c']}}) or {@code jsonPointer} ({@code
 * /a/b/0/c}, RFC 6901); without either the whole document is the result.
 *
 * <p>The selected JSON keeps its shape: numbers are doubles, objects maps. A non-2xx status, a body
 * that is not JSON, or a path that selects nothing is an error (the measurement becomes Error).
 *
 * <pre>{@code
 * WebProvider web = WebProvider.newBuilder().header("X-Api-Key", key).build();
 * }</pre>
 *
 * <p>Thread-safe; share one instance.
 */
public final class WebProvider implements MetricProvider {
  /** The provider type. */
  public static final String TYPE = "web";

  /** Argo's default timeout for web metrics, in seconds. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 10;

  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT");

  private final HttpClient client;
  private final Map<String, String> headers;

  private WebProvider(Builder b) {
    this.client =
        b.client != null
            ? b.client
            : HttpSupport.defaultClient(Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS));
    this.headers = Map.copyOf(b.headers);
  }

  public static WebProvider ofDefaults() {
    return newBuilder().build();
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Accepts {@code url} (required), {@code method} (GET, POST, PUT), {@code headers}, {@code body}
   * or {@code jsonBody} (not with GET), {@code timeoutSeconds}, {@code jsonPath} and {@code
   * jsonPointer}; refuses {@code authentication} (OAuth2, SigV4), {@code insecure: true} and any
   * other option.
   */
  @Override
  public void validate(ProviderSpec spec) {
    ProviderOptions options = ProviderOptions.of(TYPE, spec.config());
    options
        .refuse(
            "authentication",
            "OAuth2 and SigV4 authentication are not supported; set the header on"
                + " WebProvider.Builder or in headers")
        .refuseInsecure()
        .allow(
            Set.of(
                "url",
                "method",
                "headers",
                "body",
                "jsonBody",
                "timeoutSeconds",
                "jsonPath",
                "jsonPointer",
                "insecure"))
        .requireText("url")
        .oneOf("method", List.of("GET", "POST", "PUT"))
        .headers("headers")
        .text("body")
        .text("jsonPath")
        .text("jsonPointer")
        .integer("timeoutSeconds", 1);
    JsonNode config = spec.config();
    if (config.has("body") && config.has("jsonBody")) {
      throw new TemplateException(TYPE, "jsonBody", "must not be set together with body");
    }
    String method = spec.text("method");
    if ((method.isBlank() || method.equalsIgnoreCase("GET"))
        && (config.has("body") || config.has("jsonBody"))) {
      throw new TemplateException(
          TYPE, config.has("body") ? "body" : "jsonBody", "a GET request cannot have a body");
    }
  }

  @Override
  public MetricValue measure(MeasurementRequest request) {
    ProviderSpec spec = request.provider();
    JsonNode config = spec.config();
    String url = spec.text("url");
    if (url.isBlank()) {
      throw new MetricProviderException(TYPE, "url must be set");
    }
    HttpSupport.refuseInsecure(config, TYPE);
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new MetricProviderException(TYPE, "url is not a URI", e);
    }
    String method =
        spec.text("method").isBlank() ? "GET" : spec.text("method").toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new MetricProviderException(TYPE, "method must be GET, POST or PUT, but was " + method);
    }
    long timeoutSeconds = config.path("timeoutSeconds").asLong(DEFAULT_TIMEOUT_SECONDS);
    HttpRequest.Builder http =
        HttpRequest.newBuilder(uri)
            .timeout(
                Duration.ofSeconds(timeoutSeconds > 0 ? timeoutSeconds : DEFAULT_TIMEOUT_SECONDS))
            .header("Accept", "application/json");
    String body = null;
    if (config.has("jsonBody")) {
      body = Yaml.toJson(config.get("jsonBody"));
      http.header("Content-Type", "application/json");
    } else if (config.has("body")) {
      body = spec.text("body");
    }
    if (method.equals("GET")) {
      if (body != null) {
        throw new MetricProviderException(TYPE, "a GET request cannot have a body");
      }
      http.GET();
    } else {
      http.method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
    }
    headers.forEach(http::header);
    HttpSupport.headers(config.get("headers"), TYPE).forEach(http::setHeader);
    HttpResponse<String> response = HttpSupport.send(client, http.build(), TYPE);
    String where = HttpSupport.safe(uri);
    if (response.statusCode() < 200 || response.statusCode() >= 300) {
      throw new MetricProviderException(
          TYPE, where + " answered HTTP " + response.statusCode(), response.statusCode(), null);
    }
    JsonNode root;
    try {
      root = Yaml.mapper().readTree(response.body());
    } catch (JacksonException e) {
      throw new MetricProviderException(
          TYPE,
          where + " did not answer JSON: " + e.getOriginalMessage(),
          response.statusCode(),
          e);
    }
    JsonNode selected = root;
    String jsonPath = spec.text("jsonPath");
    String pointer = spec.text("jsonPointer");
    try {
      if (!jsonPath.isBlank()) {
        selected = JsonPathSubset.select(root, jsonPath);
      } else if (!pointer.isBlank()) {
        selected = root.at(pointer);
        if (selected.isMissingNode()) {
          selected = null;
        }
      }
    } catch (IllegalArgumentException e) {
      throw new MetricProviderException(TYPE, e.getMessage(), e);
    }
    if (selected == null) {
      throw new MetricProviderException(
          TYPE,
          "the response of "
              + where
              + " has nothing at "
              + (jsonPath.isBlank() ? pointer : jsonPath));
    }
    return MetricValue.ofJson(selected);
  }

  @Override
  public String toString() {
    return "WebProvider";
  }

  /** Builds a {@link WebProvider}. */
  public static final class Builder {
    private HttpClient client;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Builder() {}

    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Sends a header with every request (template headers override it). */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Sends {@code Authorization: Bearer <token>}. */
    public Builder bearerToken(String token) {
      return header("Authorization", "Bearer " + Objects.requireNonNull(token, "token"));
    }

    public WebProvider build() {
      return new WebProvider(this);
    }
  }
}
