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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs a GraphQL query against Apache SkyWalking's OAP for Argo Rollouts' {@code skywalking}
 * provider: {@code POST <address>/graphql} with the template's {@code query} and the variable
 * {@code duration: {start, end, step: MINUTE}} covering {@code interval} up to the evaluation time
 * (times as {@code yyyy-MM-dd HHmm}, in UTC).
 *
 * <p>The result is the response's {@code data} object as Argo gives it ({@code
 * result.service_apdex.values.values[0].value >= 9500}); GraphQL {@code errors}, a non-2xx answer
 * or no data make the measurement Error. {@code interval} is required, as in Argo. Thread-safe.
 */
public final class SkyWalkingProvider implements MetricProvider {
  /** The provider type. */
  public static final String TYPE = "skywalking";

  /** Argo's query timeout in seconds. */
  public static final int TIMEOUT_SECONDS = 30;

  private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_SECONDS);
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HHmm").withZone(ZoneOffset.UTC);

  private final HttpClient client;

  private SkyWalkingProvider(Builder b) {
    this.client = b.client != null ? b.client : HttpSupport.defaultClient(TIMEOUT);
  }

  public static SkyWalkingProvider ofDefaults() {
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
    ProviderOptions o = ProviderOptions.of(spec).allow("address", "query", "interval");
    o.required("address");
    o.required("query");
    o.required("interval");
    o.duration("interval");
  }

  @Override
  public MetricValue measure(MeasurementRequest request) {
    ProviderSpec spec = request.provider();
    String address = spec.text("address");
    String query = spec.text("query");
    if (address.isBlank() || query.isBlank()) {
      throw new MetricProviderException(TYPE, "address and query must be set");
    }
    HttpSupport.httpUri(address, "address", TYPE);
    if (spec.text("interval").isBlank()) {
      throw new MetricProviderException(TYPE, "interval must be set");
    }
    Duration interval;
    try {
      interval = GoDuration.parse(spec.text("interval"));
    } catch (IllegalArgumentException e) {
      throw new MetricProviderException(TYPE, "interval: " + e.getMessage(), e);
    }
    Instant end = request.evaluationTime();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("query", query);
    ObjectNode duration = body.putObject("variables").putObject("duration");
    duration.put("start", MINUTE.format(end.minus(interval)));
    duration.put("end", MINUTE.format(end));
    duration.put("step", "MINUTE");
    URI uri = HttpSupport.join(address, "/graphql");
    HttpRequest r =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("Accept", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(Yaml.toJson(body)))
            .build();
    HttpResponse<String> response = HttpSupport.send(client, r, TYPE);
    JsonNode root = null;
    if (response.statusCode() / 100 == 2 || response.body().trim().startsWith("{")) {
      root = HttpSupport.json(response, TYPE);
      JsonNode errors = root.path("errors");
      if (errors.isArray() && !errors.isEmpty()) {
        List<String> messages = new ArrayList<>();
        errors.values().forEach(e -> messages.add(e.path("message").asString(e.toString())));
        throw new MetricProviderException(
            TYPE, "graphql: " + String.join("; ", messages), response.statusCode(), null);
      }
    }
    HttpSupport.requireSuccess(response, TYPE);
    JsonNode data = root.path("data");
    if (data.isMissingNode() || data.isNull()) {
      throw new MetricProviderException(TYPE, "no results returned from SkyWalking query");
    }
    return MetricValue.ofJson(data);
  }

  @Override
  public String toString() {
    return "SkyWalkingProvider";
  }

  /** Builds a {@link SkyWalkingProvider}. */
  public static final class Builder {
    private HttpClient client;

    private Builder() {}

    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    public SkyWalkingProvider build() {
      return new SkyWalkingProvider(this);
    }
  }
}
