package io.glidepath.analysis.provider;

import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.internal.HttpSupport;
import io.glidepath.analysis.internal.JsonPathSubset;
import io.glidepath.analysis.internal.OAuth2ClientCredentials;
import io.glidepath.core.yaml.Yaml;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Calls an HTTP endpoint for Argo Rollouts' {@code web} provider.
 *
 * <p>Template settings: {@code url}, {@code method} ({@code GET} default, {@code POST}, {@code
 * PUT}), {@code headers} ({@code [{key, value}]}), {@code body} (text) or {@code jsonBody} (an
 * object sent as JSON with {@code Content-Type: application/json}), {@code timeoutSeconds} (default
 * {@value #DEFAULT_TIMEOUT_SECONDS}), {@code insecure} (skip TLS verification), {@code
 * authentication.oauth2} ({@code tokenUrl}, {@code clientId}, {@code clientSecret}, {@code scopes}:
 * a client-credentials token is sent as {@code Authorization: Bearer}), and the value to use:
 * {@code jsonPath} (a subset: {@code {$.a.b[0]['c']}}) or, a Glidepath addition, {@code
 * jsonPointer} ({@code /a/b/0/c}, RFC 6901); without either the whole document is the result.
 *
 * <p>As in Argo: the selected JSON keeps its shape (numbers are doubles, objects maps); a non-2xx
 * status or a path that selects nothing is an error; a body that is not JSON makes the measurement
 * Successful with the body as its value, without evaluating the conditions.
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

  private static final List<String> METHODS = List.of("GET", "POST", "PUT");

  private final HttpClient client;
  private final Map<String, String> headers;
  private final boolean allowInsecure;
  private final OAuth2ClientCredentials oauth2;

  private WebProvider(Builder b) {
    this.client =
        b.client != null
            ? b.client
            : HttpSupport.defaultClient(Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS));
    this.headers = Map.copyOf(b.headers);
    this.allowInsecure = b.allowInsecure;
    this.oauth2 = new OAuth2ClientCredentials(b.clock);
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

  @Override
  public void validate(ProviderSpec spec) {
    ProviderOptions o = ProviderOptions.of(spec);
    o.allow(
            "url",
            "method",
            "headers",
            "body",
            "jsonBody",
            "timeoutSeconds",
            "jsonPath",
            "jsonPointer",
            "insecure",
            "authentication")
        .required("url");
    o.oneOf("method", METHODS).integer("timeoutSeconds", 0).bool("insecure").headers("headers");
    if (o.has("body") && o.has("jsonBody")) {
      throw o.error("jsonBody", "use either body or jsonBody, not both");
    }
    String method = o.text("method").isEmpty() ? "GET" : o.text("method");
    if (method.equals("GET") && (o.has("body") || o.has("jsonBody"))) {
      throw o.error(o.has("body") ? "body" : "jsonBody", "can only be used with POST or PUT");
    }
    if (o.has("jsonPath") && o.has("jsonPointer")) {
      throw o.error("jsonPointer", "use either jsonPath or jsonPointer, not both");
    }
    if (!allowInsecure && spec.config().path("insecure").asBoolean(false)) {
      throw o.error("insecure", "skipping TLS verification is disabled on this platform");
    }
    ProviderOptions auth = o.object("authentication").allow("oauth2");
    ProviderOptions oauth =
        auth.object("oauth2").allow("tokenUrl", "clientId", "clientSecret", "scopes");
    if (oauth.has("tokenUrl") && (!oauth.has("clientId") || !oauth.has("clientSecret"))) {
      throw oauth.error("", "tokenUrl needs clientId and clientSecret");
    }
  }

  @Override
  public MetricValue measure(MeasurementRequest request) {
    Observation o = start(request);
    return o instanceof Observation.Judged j
        ? j.value().orElseThrow()
        : ((Observation.Value) o).value();
  }

  @Override
  public Observation start(MeasurementRequest request) {
    ProviderSpec spec = request.provider();
    JsonNode config = spec.config();
    String url = spec.text("url");
    if (url.isBlank()) {
      throw new MetricProviderException(TYPE, "url must be set");
    }
    boolean insecure = config.path("insecure").asBoolean(false);
    if (insecure && !allowInsecure) {
      throw new MetricProviderException(
          TYPE, "insecure (skipping TLS verification) is disabled on this platform");
    }
    URI uri = HttpSupport.httpUri(url, "url", TYPE);
    String method =
        spec.text("method").isBlank() ? "GET" : spec.text("method").toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new MetricProviderException(TYPE, "method must be GET, POST or PUT, but was " + method);
    }
    boolean hasJsonBody = config.has("jsonBody") && !config.get("jsonBody").isNull();
    boolean hasBody = !spec.text("body").isEmpty();
    if (hasBody && hasJsonBody) {
      throw new MetricProviderException(TYPE, "use either body or jsonBody, not both");
    }
    if ((hasBody || hasJsonBody) && method.equals("GET")) {
      throw new MetricProviderException(
          TYPE, "body and jsonBody can only be used with POST or PUT");
    }
    long timeoutSeconds = config.path("timeoutSeconds").asLong(DEFAULT_TIMEOUT_SECONDS);
    Duration timeout =
        Duration.ofSeconds(timeoutSeconds > 0 ? timeoutSeconds : DEFAULT_TIMEOUT_SECONDS);
    HttpClient http = HttpSupport.clientFor(client, insecure);
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout);
    String body =
        hasJsonBody ? Yaml.toJson(config.get("jsonBody")) : hasBody ? spec.text("body") : null;
    if (body == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder.method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    Map<String, String> send = new LinkedHashMap<>(headers);
    send.putAll(HttpSupport.headers(config.get("headers"), TYPE));
    OAuth2ClientCredentials.Settings.of(config.path("authentication").get("oauth2"), TYPE)
        .ifPresent(s -> send.put("Authorization", oauth2.authorization(http, s, timeout, TYPE)));
    if (hasJsonBody) {
      send.put("Content-Type", "application/json");
    }
    send.forEach(builder::setHeader);
    HttpResponse<String> response = HttpSupport.send(http, builder.build(), TYPE);
    String where = HttpSupport.safe(uri);
    if (response.statusCode() < 200 || response.statusCode() >= 300) {
      throw new MetricProviderException(
          TYPE,
          where
              + " answered HTTP "
              + response.statusCode()
              + " (received non 2xx response code): "
              + HttpSupport.excerpt(response.body()),
          response.statusCode(),
          null);
    }
    JsonNode root;
    try {
      root = Yaml.mapper().readTree(response.body());
    } catch (JacksonException e) {
      root = null;
    }
    if (root == null || root.isMissingNode()) {
      // Argo: a body that is not JSON is the value and the measurement is Successful
      return Observation.judged(
          AnalysisPhase.SUCCESSFUL,
          MetricValue.string(response.body()),
          "the response is not JSON; conditions were not evaluated");
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
              + (jsonPath.isBlank() ? pointer : jsonPath)
              + " (result of web metric produced no value)");
    }
    return Observation.value(MetricValue.ofJson(selected));
  }

  @Override
  public String toString() {
    return "WebProvider";
  }

  /** Builds a {@link WebProvider}. */
  public static final class Builder {
    private HttpClient client;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean allowInsecure = true;
    private InstantSource clock = InstantSource.system();

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

    /**
     * Whether templates may set {@code insecure: true} (default true, as in Argo). A platform that
     * runs other teams' templates can forbid it; such templates are then refused.
     */
    public Builder allowInsecure(boolean allow) {
      this.allowInsecure = allow;
      return this;
    }

    /** The clock OAuth2 token expiry is judged by (default: the system clock). */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public WebProvider build() {
      return new WebProvider(this);
    }
  }
}
