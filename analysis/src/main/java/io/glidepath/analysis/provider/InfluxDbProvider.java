package io.glidepath.analysis.provider;

import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.internal.AnnotatedCsv;
import io.glidepath.analysis.internal.HttpSupport;
import io.glidepath.core.yaml.Yaml;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs a Flux query through the InfluxDB 2 API for Argo Rollouts' {@code influxdb} provider: {@code
 * POST <address>/api/v2/query?org=<org>} with {@code Authorization: Token <token>} and the query as
 * JSON ({@code type: flux}, annotated CSV dialect).
 *
 * <p>Template settings: {@code query} and {@code profile} (the Secret to read, default {@value
 * #SECRET}). The Secret, in the platform namespace, has {@code address}, {@code authToken} and
 * {@code org}, all required.
 *
 * <p>The result is the list of every record's {@code _value}, across tables, typed by the CSV's
 * {@code #datatype} ({@code double}/{@code long} numbers, {@code boolean}, text otherwise): {@code
 * result[0] >= 0.95}. No record, an error table or a non-2xx answer makes the measurement Error
 * with InfluxDB's message. Each query has {@value #TIMEOUT_SECONDS} s. Thread-safe.
 */
public final class InfluxDbProvider implements MetricProvider {
  /** The provider type. */
  public static final String TYPE = "influxdb";

  /** The Secret Argo reads when a template has no {@code profile}. */
  public static final String SECRET = "influxdb";

  /** Argo's query timeout in seconds. */
  public static final int TIMEOUT_SECONDS = 30;

  private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_SECONDS);

  private final HttpClient client;
  private final SecretSource secrets;

  private InfluxDbProvider(Builder b) {
    this.client = b.client != null ? b.client : HttpSupport.defaultClient(TIMEOUT);
    this.secrets = b.secrets;
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
    ProviderOptions.of(spec).allow("profile", "query").required("query");
  }

  @Override
  public MetricValue measure(MeasurementRequest request) {
    ProviderSpec spec = request.provider();
    String query = spec.text("query");
    if (query.isBlank()) {
      throw new MetricProviderException(TYPE, "query must be set");
    }
    String profile = spec.text("profile").isBlank() ? SECRET : spec.text("profile");
    Map<String, String> secret =
        secrets
            .secret(Optional.empty(), profile)
            .orElseThrow(
                () -> new MetricProviderException(TYPE, "Secret '" + profile + "' not found"));
    String token = secret.getOrDefault("authToken", "");
    String address = secret.getOrDefault("address", "");
    String org = secret.getOrDefault("org", "");
    if (token.isEmpty() || address.isEmpty() || org.isEmpty()) {
      throw new MetricProviderException(
          TYPE, "authToken, org, or address not found in Secret '" + profile + "'");
    }
    HttpSupport.httpUri(address, "address", TYPE);
    URI uri =
        URI.create(
            HttpSupport.join(address, "/api/v2/query")
                + "?org="
                + URLEncoder.encode(org, StandardCharsets.UTF_8));
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("query", query);
    body.put("type", "flux");
    ObjectNode dialect = body.putObject("dialect");
    dialect.putArray("annotations").add("datatype").add("group").add("default");
    dialect.put("delimiter", ",");
    dialect.put("header", true);
    HttpRequest r =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Authorization", "Token " + token)
            .header("Content-Type", "application/json")
            .header("Accept", "text/csv")
            .POST(HttpRequest.BodyPublishers.ofString(Yaml.toJson(body)))
            .build();
    HttpResponse<String> response = HttpSupport.send(client, r, TYPE);
    if (response.statusCode() / 100 != 2) {
      String message = HttpSupport.excerpt(response.body());
      try {
        JsonNode error = Yaml.mapper().readTree(response.body());
        if (error != null && error.has("message")) {
          message = error.path("code").asString("error") + ": " + error.path("message").asString();
        }
      } catch (JacksonException e) {
        // not JSON: keep the body's start
      }
      throw new MetricProviderException(
          TYPE,
          HttpSupport.safe(uri) + " answered HTTP " + response.statusCode() + ": " + message,
          response.statusCode(),
          null);
    }
    List<JsonNode> nodes = new ArrayList<>();
    for (AnnotatedCsv.Row row : AnnotatedCsv.read(response.body())) {
      String error = row.get("error");
      if (error != null && row.get("_value") == null) {
        String ref = row.get("reference");
        throw new MetricProviderException(
            TYPE,
            "flux query failed: " + error + (ref == null || ref.isEmpty() ? "" : " (" + ref + ")"));
      }
      String v = row.get("_value");
      if (v == null) {
        continue;
      }
      nodes.add(typed(v, row.type("_value")));
    }
    if (nodes.isEmpty()) {
      throw new MetricProviderException(TYPE, "no results returned from flux query");
    }
    var list = JsonNodeFactory.instance.arrayNode();
    nodes.forEach(list::add);
    return MetricValue.ofJson(list);
  }

  private static JsonNode typed(String v, String type) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v.isEmpty() && !type.equals("string")) {
      return f.nullNode();
    }
    try {
      switch (type) {
        case "double":
          return switch (v) {
            case "NaN" -> f.numberNode(Double.NaN);
            case "+Inf" -> f.numberNode(Double.POSITIVE_INFINITY);
            case "-Inf" -> f.numberNode(Double.NEGATIVE_INFINITY);
            default -> f.numberNode(Double.parseDouble(v));
          };
        case "long", "unsignedLong":
          return f.numberNode(Double.parseDouble(v));
        case "boolean":
          return f.booleanNode(Boolean.parseBoolean(v));
        default:
          return f.stringNode(v);
      }
    } catch (NumberFormatException e) {
      throw new MetricProviderException(TYPE, "_value '" + v + "' is not a " + type);
    }
  }

  @Override
  public String toString() {
    return "InfluxDbProvider";
  }

  /** Builds an {@link InfluxDbProvider}. */
  public static final class Builder {
    private HttpClient client;
    private SecretSource secrets = SecretSource.NONE;

    private Builder() {}

    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Where the {@code influxdb} (or {@code profile}) Secret is read. */
    public Builder secrets(SecretSource secrets) {
      this.secrets = Objects.requireNonNull(secrets, "secrets");
      return this;
    }

    public InfluxDbProvider build() {
      return new InfluxDbProvider(this);
    }
  }
}
