package io.glidepath.analysis.provider;

import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.internal.HttpSupport;
import io.glidepath.analysis.internal.OAuth2ClientCredentials;
import io.glidepath.core.time.GoDuration;
import io.glidepath.core.yaml.Yaml;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * <p>Template settings, as Argo reads them: {@code address} (else the environment variable {@code
 * ARGO_ROLLOUTS_PROMETHEUS_ADDRESS}), {@code query}, {@code timeout} (seconds, default {@value
 * #DEFAULT_TIMEOUT_SECONDS}), {@code insecure} (skip TLS verification), {@code headers} ({@code
 * [{key, value}]}, values usually from Secret-backed arguments), {@code rangeQuery}, and {@code
 * authentication}: {@code sigv4: {region, profile, roleArn}} signs every query for Amazon Managed
 * Prometheus (also whenever the address contains {@code aps-workspaces}, as Argo does) through a
 * {@link Sigv4Signer} ({@code glidepath-analysis-aws}); {@code oauth2: {tokenUrl, clientId,
 * clientSecret, scopes}} sends a client-credentials token. Platform-wide credentials are set here,
 * never in messages:
 *
 * <pre>{@code
 * PrometheusProvider p = PrometheusProvider.newBuilder()
 *     .bearerToken(token).timeout(Duration.ofSeconds(10)).build();
 * }</pre>
 *
 * <p>Thread-safe; share one instance.
 */
public final class PrometheusProvider implements MetricProvider {
  /** The provider type. */
  public static final String TYPE = "prometheus";

  /** Default query timeout in seconds. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 30;

  /** The environment variable Argo reads when a template has no address. */
  public static final String ADDRESS_ENV = "ARGO_ROLLOUTS_PROMETHEUS_ADDRESS";

  /** The AWS service name Amazon Managed Prometheus requests are signed for. */
  public static final String AMP_SERVICE = "aps";

  private static final Pattern RELATIVE =
      Pattern.compile("now\\(\\)\\s*(?:-\\s*duration\\(\\s*[\"']([^\"']+)[\"']\\s*\\))?");

  private final HttpClient client;
  private final Duration timeout;
  private final URI addressOverride;
  private final Map<String, String> headers;
  private final Map<String, String> environment;
  private final Sigv4Signer signer;
  private final boolean allowInsecure;
  private final OAuth2ClientCredentials oauth2;

  private PrometheusProvider(Builder b) {
    this.client = b.client != null ? b.client : HttpSupport.defaultClient(b.timeout);
    this.timeout = b.timeout;
    this.addressOverride = b.addressOverride;
    this.headers = Map.copyOf(b.headers);
    this.environment = Map.copyOf(b.environment);
    this.signer = b.signer;
    this.allowInsecure = b.allowInsecure;
    this.oauth2 = new OAuth2ClientCredentials(b.clock);
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

  @Override
  public void validate(ProviderSpec spec) {
    ProviderOptions o = ProviderOptions.of(spec);
    o.allow("address", "query", "timeout", "insecure", "headers", "authentication", "rangeQuery")
        .required("query");
    o.integer("timeout", 0).bool("insecure").headers("headers");
    if (!allowInsecure && spec.config().path("insecure").asBoolean(false)) {
      throw o.error("insecure", "skipping TLS verification is disabled on this platform");
    }
    ProviderOptions auth = o.object("authentication").allow("sigv4", "oauth2");
    auth.object("sigv4").allow("region", "profile", "roleArn");
    ProviderOptions oauth =
        auth.object("oauth2").allow("tokenUrl", "clientId", "clientSecret", "scopes");
    if (oauth.has("tokenUrl") && (!oauth.has("clientId") || !oauth.has("clientSecret"))) {
      throw oauth.error("", "tokenUrl needs clientId and clientSecret");
    }
    ProviderOptions range = o.object("rangeQuery").allow("start", "end", "step");
    if (o.has("rangeQuery")) {
      range.required("step");
      range.duration("step");
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
    boolean insecure = config.path("insecure").asBoolean(false);
    if (insecure && !allowInsecure) {
      throw new MetricProviderException(
          TYPE, "insecure (skipping TLS verification) is disabled on this platform");
    }
    URI base = address(spec.text("address"));
    Duration effectiveTimeout = timeout;
    if (config.has("timeout")) {
      long seconds = config.get("timeout").asLong(0);
      if (seconds < 0) {
        throw new MetricProviderException(TYPE, "timeout must not be negative, but was " + seconds);
      }
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
    String form = HttpSupport.form(params);
    URI uri = base.resolve(path);
    HttpClient http = HttpSupport.clientFor(client, insecure);
    Map<String, String> send = new LinkedHashMap<>();
    send.put("Accept", "application/json");
    send.put("Content-Type", "application/x-www-form-urlencoded");
    send.putAll(headers);
    send.putAll(HttpSupport.headers(config.get("headers"), TYPE));
    JsonNode auth = config.path("authentication");
    OAuth2ClientCredentials.Settings.of(auth.get("oauth2"), TYPE)
        .ifPresent(s -> send.put("Authorization", oauth2.authorization(http, s, timeout, TYPE)));
    JsonNode sigv4 = auth.path("sigv4");
    if (base.toString().contains("aps-workspaces") || (sigv4.isObject() && !sigv4.isEmpty())) {
      send.putAll(sign(uri, send, form, sigv4));
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(effectiveTimeout)
            .POST(HttpRequest.BodyPublishers.ofString(form));
    send.forEach(builder::setHeader);
    HttpResponse<String> response = HttpSupport.send(http, builder.build(), TYPE);
    return parse(response.statusCode(), response.body(), HttpSupport.safe(uri));
  }

  private Map<String, String> sign(URI uri, Map<String, String> send, String form, JsonNode sigv4) {
    Sigv4Signer s = signer;
    if (s == null) {
      s =
          Sigv4Signer.discover()
              .orElseThrow(
                  () ->
                      new MetricProviderException(
                          TYPE,
                          "authentication.sigv4 (Amazon Managed Prometheus) needs"
                              + " io.glidepath:glidepath-analysis-aws on the class path"));
    }
    return s.sign(
        new Sigv4Signer.Request(
            "POST",
            uri,
            send,
            form.getBytes(StandardCharsets.UTF_8),
            AMP_SERVICE,
            optional(sigv4.path("region").asString("")),
            optional(sigv4.path("profile").asString("")),
            optional(sigv4.path("roleArn").asString(""))));
  }

  private static Optional<String> optional(String s) {
    return s.isBlank() ? Optional.empty() : Optional.of(s);
  }

  private URI address(String templateAddress) {
    URI uri = addressOverride;
    if (uri == null) {
      String address = templateAddress;
      if (address.isBlank()) {
        address = environment.getOrDefault(ADDRESS_ENV, "");
      }
      if (address.isBlank()) {
        throw new MetricProviderException(
            TYPE, "address must be set (in the template or " + ADDRESS_ENV + ")");
      }
      uri = HttpSupport.httpUri(address, "address", TYPE);
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
      // Prometheus says "error"; gateways in front of it (Amazon Managed Prometheus) "message"
      String error =
          root.path("error").asString(root.path("message").asString(HttpSupport.excerpt(body)));
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
    private Map<String, String> environment = System.getenv();
    private Sigv4Signer signer;
    private boolean allowInsecure = true;
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    /** Environment variables to read ({@value #ADDRESS_ENV}); default: the process's. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** The SigV4 signer for {@code authentication.sigv4} (default: found by ServiceLoader). */
    public Builder sigv4Signer(Sigv4Signer signer) {
      this.signer = Objects.requireNonNull(signer, "signer");
      return this;
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
