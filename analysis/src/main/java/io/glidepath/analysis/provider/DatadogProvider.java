package io.glidepath.analysis.provider;

import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.internal.HttpSupport;
import io.glidepath.core.time.GoDuration;
import io.glidepath.core.yaml.Yaml;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Queries Datadog for Argo Rollouts' {@code datadog} provider.
 *
 * <p>{@code apiVersion: v1} (the default) sends {@code GET /api/v1/query?from&query&to} and the
 * result is the last point of the first series. {@code v2} sends {@code POST /api/v2/query/scalar}
 * with {@code query} (named {@code query}) or {@code queries} (a map of name to query) and an
 * optional {@code formula}, each query reduced by {@code aggregator} (default {@code last}); the
 * result is the first value of the first number column, or, for a grouped query ({@code by {tag}}),
 * the list of every group's value. Either way the window is {@code interval} (default 5m) back from
 * the evaluation time, and no data gives {@code result == nil}, so that Argo templates' {@code
 * default(result, 0) < 0.05} work unchanged.
 *
 * <p>Credentials, looked up as Argo does: the Secret named by {@code secretRef.name} (in the
 * analysis's namespace with {@code namespaced: true}, else in the platform namespace); then the
 * environment variables {@code DD_API_KEY}, {@code DD_APP_KEY} and {@code DD_ADDRESS} (all three);
 * then the Secret {@code datadog} of the platform namespace. A Secret has the keys {@code api-key},
 * {@code app-key} and, optionally, {@code address} (default {@value #DEFAULT_ADDRESS}). {@code
 * requestTimeout} (default 10s) bounds each request.
 *
 * <pre>{@code
 * DatadogProvider dd = DatadogProvider.newBuilder()
 *     .secrets(SecretSource.of(Map.of("datadog", Map.of("api-key", k, "app-key", a))))
 *     .build();
 * }</pre>
 *
 * <p>Errors (HTTP 401/403, any other non-200 such as 429, a query error) make the measurement Error
 * with Datadog's message; keys never appear in messages. Thread-safe; share one instance.
 */
public final class DatadogProvider implements MetricProvider {
  /** The provider type. */
  public static final String TYPE = "datadog";

  /** The Secret Argo reads credentials from. */
  public static final String SECRET = "datadog";

  /** Datadog's API address when none is configured. */
  public static final String DEFAULT_ADDRESS = "https://api.datadoghq.com";

  /** The aggregators Datadog's scalar API accepts. */
  public static final List<String> AGGREGATORS =
      List.of("avg", "min", "max", "sum", "last", "percentile", "mean", "l2norm", "area");

  private static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private record Credentials(String address, String apiKey, String appKey) {
    @Override
    public String toString() {
      return "Credentials[" + address + "]";
    }
  }

  private final HttpClient client;
  private final SecretSource secrets;
  private final Map<String, String> environment;

  private DatadogProvider(Builder b) {
    this.client = b.client != null ? b.client : HttpSupport.defaultClient(DEFAULT_TIMEOUT);
    this.secrets = b.secrets;
    this.environment = Map.copyOf(b.environment);
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
        "apiVersion",
        "interval",
        "query",
        "queries",
        "formula",
        "aggregator",
        "secretRef",
        "requestTimeout");
    o.oneOf("apiVersion", List.of("v1", "v2"))
        .oneOf("aggregator", AGGREGATORS)
        .duration("interval")
        .duration("requestTimeout")
        .stringMap("queries");
    o.object("secretRef").allow("name", "namespaced").bool("namespaced");
    if (o.has("secretRef")) {
      o.object("secretRef").required("name");
    }
    boolean v2 = "v2".equals(o.text("apiVersion"));
    boolean hasQueries = o.has("queries") && !spec.config().get("queries").isEmpty();
    if (o.text("query").isBlank() && !hasQueries) {
      throw o.error("query", "is required (or queries with apiVersion v2)");
    }
    if (!o.text("query").isBlank() && hasQueries) {
      throw o.error("queries", "cannot be used together with query");
    }
    if (!v2) {
      for (String v2only : List.of("queries", "formula", "aggregator")) {
        if (o.has(v2only)) {
          throw o.error(v2only, "needs apiVersion: v2");
        }
      }
    }
    if (hasQueries && spec.config().get("queries").size() > 1 && o.text("formula").isBlank()) {
      throw o.error("formula", "is required with more than one query");
    }
  }

  @Override
  public MetricValue measure(MeasurementRequest request) {
    ProviderSpec spec = request.provider();
    JsonNode config = spec.config();
    Credentials c = credentials(config, request);
    String version = spec.text("apiVersion").isEmpty() ? "v1" : spec.text("apiVersion");
    long now = request.evaluationTime().getEpochSecond();
    long interval = duration(spec.text("interval"), DEFAULT_INTERVAL, "interval").toSeconds();
    Duration timeout = duration(spec.text("requestTimeout"), DEFAULT_TIMEOUT, "requestTimeout");
    HttpRequest.Builder http;
    if (version.equals("v1")) {
      String query = spec.text("query");
      if (query.isBlank()) {
        throw new MetricProviderException(TYPE, "query must be set for apiVersion v1");
      }
      Map<String, String> params = new TreeMap<>();
      params.put("from", Long.toString(now - interval));
      params.put("query", query);
      params.put("to", Long.toString(now));
      URI uri =
          URI.create(
              HttpSupport.join(c.address(), "/api/v1/query") + "?" + HttpSupport.form(params));
      http = HttpRequest.newBuilder(uri).GET();
    } else if (version.equals("v2")) {
      String body = Yaml.toJson(scalarRequest(config, now, interval));
      http =
          HttpRequest.newBuilder(HttpSupport.join(c.address(), "/api/v2/query/scalar"))
              .POST(HttpRequest.BodyPublishers.ofString(body));
    } else {
      throw new MetricProviderException(TYPE, "apiVersion must be v1 or v2, but was " + version);
    }
    HttpRequest r =
        http.timeout(timeout)
            .header("Content-Type", "application/json")
            .header("DD-API-KEY", c.apiKey())
            .header("DD-APPLICATION-KEY", c.appKey())
            .build();
    HttpResponse<String> response = HttpSupport.send(client, r, TYPE);
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw new MetricProviderException(
          TYPE,
          "received authentication error response code: "
              + status
              + " "
              + HttpSupport.excerpt(response.body()),
          status,
          null);
    }
    if (status != 200) {
      throw new MetricProviderException(
          TYPE,
          "received non 2xx response code: " + status + " " + HttpSupport.excerpt(response.body()),
          status,
          null);
    }
    JsonNode root = HttpSupport.json(response, TYPE);
    return version.equals("v1") ? v1Value(root) : v2Value(root);
  }

  private static ObjectNode scalarRequest(JsonNode config, long now, long interval) {
    Map<String, String> queries = new TreeMap<>();
    String query = config.path("query").asString("");
    if (!query.isBlank()) {
      queries.put("query", query);
    }
    for (Map.Entry<String, JsonNode> e : config.path("queries").properties()) {
      queries.put(e.getKey(), e.getValue().asString(""));
    }
    if (queries.isEmpty()) {
      throw new MetricProviderException(TYPE, "query or queries must be set");
    }
    String aggregator = config.path("aggregator").asString("");
    if (aggregator.isEmpty()) {
      aggregator = "last";
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    ObjectNode data = root.putObject("data");
    data.put("type", "scalar_request");
    ObjectNode attributes = data.putObject("attributes");
    attributes.put("from", (now - interval) * 1000);
    attributes.put("to", now * 1000);
    ArrayNode qs = attributes.putArray("queries");
    for (Map.Entry<String, String> q : queries.entrySet()) {
      ObjectNode n = qs.addObject();
      n.put("aggregator", aggregator);
      n.put("data_source", "metrics");
      n.put("name", q.getKey());
      n.put("query", q.getValue());
    }
    ArrayNode formulas = attributes.putArray("formulas");
    String formula = config.path("formula").asString("");
    if (!formula.isBlank()) {
      formulas.addObject().put("formula", formula);
    }
    return root;
  }

  /** The last point of the first series, or nil without data. */
  static MetricValue v1Value(JsonNode root) {
    JsonNode series = root.path("series");
    if (!series.isArray() || series.isEmpty() || series.get(0).path("pointlist").isEmpty()) {
      String error = root.path("error").asString("");
      if (!error.isEmpty()) {
        throw new MetricProviderException(TYPE, "There were errors in your query: " + error);
      }
      return MetricValue.ofJson(NullNode.getInstance());
    }
    JsonNode points = series.get(0).path("pointlist");
    JsonNode last = points.get(points.size() - 1);
    if (!last.isArray() || last.size() != 2) {
      throw new MetricProviderException(TYPE, "Datapoint does not have 2 values");
    }
    return MetricValue.ofJson(last.get(1));
  }

  /** The first value of the first number column; every group's value for a grouped query. */
  static MetricValue v2Value(JsonNode root) {
    JsonNode data = root.path("data");
    String errors = data.path("errors").isString() ? data.path("errors").asString() : "";
    if (errors.isEmpty() && root.path("errors").isArray() && !root.path("errors").isEmpty()) {
      List<String> all = new ArrayList<>();
      root.path("errors").values().forEach(e -> all.add(e.asString(e.toString())));
      errors = String.join("; ", all);
    }
    if (!errors.isEmpty()) {
      throw new MetricProviderException(TYPE, "There were errors in your query: " + errors);
    }
    JsonNode numbers = null;
    boolean grouped = false;
    for (JsonNode column : data.path("attributes").path("columns").values()) {
      String type = column.path("type").asString("number");
      if (type.equals("group")) {
        grouped = true;
      } else if (numbers == null) {
        numbers = column.path("values");
      }
    }
    if (numbers == null || !numbers.isArray() || numbers.isEmpty()) {
      return MetricValue.ofJson(NullNode.getInstance());
    }
    if (grouped) {
      List<Double> values = new ArrayList<>();
      for (JsonNode v : numbers.values()) {
        if (v.isNumber()) {
          values.add(v.doubleValue());
        }
      }
      return MetricValue.vector(values);
    }
    return MetricValue.ofJson(numbers.get(0));
  }

  private Credentials credentials(JsonNode config, MeasurementRequest request) {
    JsonNode ref = config.path("secretRef");
    String refName = ref.path("name").asString("");
    if (!refName.isEmpty()) {
      Optional<String> ns =
          ref.path("namespaced").asBoolean(false) ? request.run().namespace() : Optional.empty();
      Optional<Credentials> c = fromSecret(ns, refName);
      if (c.isPresent()) {
        return c.get();
      }
    }
    String api = environment.getOrDefault("DD_API_KEY", "");
    String app = environment.getOrDefault("DD_APP_KEY", "");
    String address = environment.get("DD_ADDRESS");
    if (!api.isEmpty() && !app.isEmpty() && address != null) {
      return new Credentials(address.isEmpty() ? DEFAULT_ADDRESS : address, api, app);
    }
    return fromSecret(Optional.empty(), SECRET)
        .orElseThrow(
            () ->
                new MetricProviderException(
                    TYPE,
                    "API or App token not found (looked in "
                        + (refName.isEmpty() ? "" : "Secret '" + refName + "', ")
                        + "DD_API_KEY/DD_APP_KEY/DD_ADDRESS and Secret '"
                        + SECRET
                        + "')"));
  }

  private Optional<Credentials> fromSecret(Optional<String> namespace, String name) {
    return secrets
        .secret(namespace, name)
        .filter(d -> !d.getOrDefault("api-key", "").isEmpty())
        .filter(d -> !d.getOrDefault("app-key", "").isEmpty())
        .map(
            d ->
                new Credentials(
                    d.getOrDefault("address", "").isEmpty() ? DEFAULT_ADDRESS : d.get("address"),
                    d.get("api-key"),
                    d.get("app-key")));
  }

  private static Duration duration(String text, Duration fallback, String field) {
    if (text.isBlank()) {
      return fallback;
    }
    try {
      return GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new MetricProviderException(TYPE, field + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "DatadogProvider";
  }

  /** Builds a {@link DatadogProvider}. */
  public static final class Builder {
    private HttpClient client;
    private SecretSource secrets = SecretSource.NONE;
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Where the {@code datadog} and {@code secretRef} Secrets are read (default: none). */
    public Builder secrets(SecretSource secrets) {
      this.secrets = Objects.requireNonNull(secrets, "secrets");
      return this;
    }

    /** Environment variables to read ({@code DD_*}); default: the process's. */
    public Builder environment(Map<String, String> environment) {
      this.environment = new LinkedHashMap<>(Objects.requireNonNull(environment, "environment"));
      return this;
    }

    public DatadogProvider build() {
      return new DatadogProvider(this);
    }
  }
}
