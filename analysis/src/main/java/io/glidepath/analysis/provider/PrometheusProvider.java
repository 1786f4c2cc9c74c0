package io.glidepath.analysis.provider;

import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.TemplateException;
import io.glidepath.analysis.internal.HttpSupport;
import io.glidepath.analysis.internal.ProviderOptions;
import io.glidepath.core.time.GoDuration;
import io.glidepath.core.yaml.Yaml;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Queries Prometheus' HTTP API for the {@code prometheus} provider of Argo Rollouts templates.
 *
 * <p>An instant query runs at the measurement's evaluation time ({@code time=} parameter), so a
 * replay over past data gets past values. With {@code rangeQuery: {start, end, step}} it runs a
 * range query; {@code start}/{@code end} are {@code now()}, {@code now() - duration("5m")} or an
 * RFC 3339 time, relative to the evaluation time.
 *
 * <p>Result mapping: a scalar is a number; a vector a list (one element per series); a matrix the
 * flattened list of all samples; {@code "NaN"}, {@code "+Inf"} and {@code "-Inf"} are parsed; no
 * series is an empty list. A Prometheus error response becomes a {@link MetricProviderException}
 * with Prometheus' message and the HTTP status.
 *
 * <p>Template settings: {@code address}, {@code query}, {@code timeout} (seconds), {@code headers}
 * ({@code [{key, value}]}), {@code rangeQuery}. Credentials are set here, never in messages:
 *
 * <pre>{@code
 * PrometheusProvider p = PrometheusProvider.newBuilder()
 *     .bearerToken(token).timeout(Duration.ofSeconds(10)).build();
 * }</pre>
 *
 * <p>Defaults: timeout {@value #DEFAULT_TIMEOUT_SECONDS} s. Thread-safe; share one instance.
 */
public final class PrometheusProvider implements MetricProvider {
  /** The provider type. */
  public static final String TYPE = "prometheus";

  /** Default query timeout in seconds. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 30;

  private static final Pattern RELATIVE =
      Pattern.compile("now\\(\\)\\s*(?:-\\s*duration\\(\\s*[\"']([^\"']+)[\"']\\s*\\))?");

  private final HttpClient client;
  private final Duration timeout;
  private final URI addressOverride;
  private final Map<String, String> headers;

  private PrometheusProvider(Builder b) {
    this.client = b.client != null ? b.client : HttpSupport.defaultClient(b.timeout);
    this.timeout = b.timeout;
    this.addressOverride = b.addressOverride;
    this.headers = Map.copyOf(b.headers);
  }

  /** A provider with default settings. */
  public static PrometheusProvider ofDefaults() {
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
   * Accepts {@code address} (unless the builder set one), {@code query} (required), {@code timeout}
   * (whole seconds), {@code headers} and {@code rangeQuery} ({@code start}, {@code end}, {@code
   * step}); refuses {@code authentication} (SigV4, OAuth2), {@code insecure: true} and any other
   * option.
   */
  @Override
  public void validate(ProviderSpec spec) {
    ProviderOptions options = ProviderOptions.of(TYPE, spec.config());
    options
        .refuse(
            "authentication",
            "SigV4 and OAuth2 authentication are not supported; set a bearer token, basic auth or"
                + " headers on PrometheusProvider.Builder")
        .refuseInsecure()
        .allow(Set.of("address", "query", "timeout", "headers", "rangeQuery", "insecure"))
        .requireText("query")
        .integer("timeout", 1)
        .headers("headers");
    if (addressOverride == null) {
      options.requireText("address");
    } else {
      options.text("address");
    }
    JsonNode range = spec.config().get("rangeQuery");
    if (range != null && !range.isNull()) {
      if (!range.isObject()) {
        throw new TemplateException(TYPE, "rangeQuery", "must be {start, end, step}");
      }
      ProviderOptions r = ProviderOptions.of(TYPE, range);
      try {
        r.allow(Set.of("start", "end", "step")).requireText("step").text("start").text("end");
      } catch (TemplateException e) {
        throw new TemplateException(TYPE, "rangeQuery." + e.path(), e.problem());
      }
    }
  }

  @Override
  public MetricValue measure(MeasurementRequest request) {
    ProviderSpec spec = request.provider();
    JsonNode config = spec.config();
    String query = spec.text("query");
    if (query.isBlank()) {
      throw new MetricProviderException(TYPE, "query must be set");
    }
    HttpSupport.refuseInsecure(config, TYPE);
    if (config.has("authentication")) {
      throw new MetricProviderException(
          TYPE,
          "authentication (sigv4/oauth2) is not supported; set a bearer token, basic auth or"
              + " headers instead");
    }
    URI base = address(spec.text("address"));
    Duration effectiveTimeout = timeout;
    if (config.has("timeout")) {
      long seconds = config.get("timeout").asLong(0);
      if (seconds > 0) {
        effectiveTimeout = Duration.ofSeconds(seconds);
      }
    }
    String path;
    Map<String, String> params = new LinkedHashMap<>();
    params.put("query", query);
    JsonNode range = config.get("rangeQuery");
    if (range != null && !range.isNull()) {
      path = "api/v1/query_range";
      Instant at = request.evaluationTime();
      params.put("start", seconds(instant(range.path("start").asString("now()"), at, "start")));
      params.put("end", seconds(instant(range.path("end").asString("now()"), at, "end")));
      String step = range.path("step").asString("");
      if (step.isEmpty()) {
        throw new MetricProviderException(TYPE, "rangeQuery.step must be set");
      }
      params.put("step", seconds(GoDuration.parse(step)));
    } else {
      path = "api/v1/query";
      params.put("time", seconds(request.evaluationTime()));
    }
    StringBuilder form = new StringBuilder();
    params.forEach(
        (k, v) -> {
          if (form.length() > 0) {
            form.append('&');
          }
          form.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
    URI uri = base.resolve(path);
    HttpRequest.Builder http =
        HttpRequest.newBuilder(uri)
            .timeout(effectiveTimeout)
            .header("Accept", "application/json")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    headers.forEach(http::header);
    HttpSupport.headers(config.get("headers"), TYPE).forEach(http::setHeader);
    HttpResponse<String> response = HttpSupport.send(client, http.build(), TYPE);
    return parse(response.statusCode(), response.body(), HttpSupport.safe(uri));
  }

  private URI address(String templateAddress) {
    URI uri = addressOverride;
    if (uri == null) {
      if (templateAddress.isBlank()) {
        throw new MetricProviderException(TYPE, "address must be set");
      }
      try {
        uri = URI.create(templateAddress.trim());
      } catch (IllegalArgumentException e) {
        throw new MetricProviderException(TYPE, "address is not a URI", e);
      }
    }
    String s = uri.toString();
    return s.endsWith("/") ? uri : URI.create(s + "/");
  }

  private static Instant instant(String text, Instant at, String field) {
    String t = text.trim();
    Matcher m = RELATIVE.matcher(t);
    if (m.matches()) {
      return m.group(1) == null ? at : at.minus(GoDuration.parse(m.group(1)));
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      throw new MetricProviderException(
          TYPE,
          "rangeQuery."
              + field
              + " must be now(), now() - duration(\"5m\") or an RFC 3339 time,"
              + " but was '"
              + t
              + "'");
    }
  }

  private static String seconds(Instant t) {
    return BigDecimal.valueOf(t.getEpochSecond())
        .add(BigDecimal.valueOf(t.getNano(), 9))
        .stripTrailingZeros()
        .toPlainString();
  }

  private static String seconds(Duration d) {
    return BigDecimal.valueOf(d.getSeconds())
        .add(BigDecimal.valueOf(d.getNano(), 9))
        .stripTrailingZeros()
        .toPlainString();
  }

  /** Maps a Prometheus API response to a metric value (package-visible for tests). */
  static MetricValue parse(int status, String body, String where) {
    JsonNode root;
    try {
      root = Yaml.mapper().readTree(body);
    } catch (JacksonException e) {
      throw new MetricProviderException(
          TYPE, where + " answered HTTP " + status + " with a body that is not JSON", status, e);
    }
    if (root == null || !root.isObject()) {
      throw new MetricProviderException(
          TYPE, where + " answered HTTP " + status + " without a JSON object", status, null);
    }
    if (!"success".equals(root.path("status").asString(""))) {
      String type = root.path("errorType").asString("");
      String error = root.path("error").asString("unknown error");
      throw new MetricProviderException(
          TYPE,
          "query failed (HTTP " + status + (type.isEmpty() ? "" : ", " + type) + "): " + error,
          status,
          null);
    }
    JsonNode data = root.path("data");
    String resultType = data.path("resultType").asString("");
    JsonNode result = data.path("result");
    switch (resultType) {
      case "scalar":
        return MetricValue.scalar(number(result.path(1)));
      case "vector":
        {
          List<Double> values = new ArrayList<>();
          for (JsonNode series : result.values()) {
            values.add(number(series.path("value").path(1)));
          }
          return MetricValue.vector(values);
        }
      case "matrix":
        {
          List<Double> values = new ArrayList<>();
          for (JsonNode series : result.values()) {
            for (JsonNode sample : series.path("values").values()) {
              values.add(number(sample.path(1)));
            }
          }
          return MetricValue.vector(values);
        }
      case "string":
        return MetricValue.string(result.path(1).asString(""));
      default:
        throw new MetricProviderException(
            TYPE, "unexpected resultType '" + resultType + "' from " + where, status, null);
    }
  }

  private static double number(JsonNode node) {
    String text = node.asString("");
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "+Inf", "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new MetricProviderException(TYPE, "sample value '" + text + "' is not a number", e);
        }
    }
  }

  @Override
  public String toString() {
    return "PrometheusProvider[timeout="
        + timeout
        + (addressOverride == null ? "" : ", address=" + HttpSupport.safe(addressOverride))
        + "]";
  }

  /** Builds a {@link PrometheusProvider}. */
  public static final class Builder {
    private HttpClient client;
    private Duration timeout = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    private URI addressOverride;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Builder() {}

    /** The HTTP client to use (default: a new one with the timeout as connect timeout). */
    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Query timeout; a template's {@code timeout} overrides it. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be > 0, but was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Uses this address instead of the templates' {@code address}. */
    public Builder address(URI address) {
      String scheme = Objects.requireNonNull(address, "address").getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException(
            "address must be an http or https URI, but was '" + HttpSupport.safe(address) + "'");
      }
      this.addressOverride = address;
      return this;
    }

    /** Sends {@code Authorization: Bearer <token>}. */
    public Builder bearerToken(String token) {
      headers.put("Authorization", "Bearer " + Objects.requireNonNull(token, "token"));
      return this;
    }

    /** Sends HTTP basic authentication. */
    public Builder basicAuth(String user, String password) {
      headers.put("Authorization", HttpSupport.basic(user, password));
      return this;
    }

    /** Sends a header with every query. */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public PrometheusProvider build() {
      return new PrometheusProvider(this);
    }
  }
}
