package io.glidepath.analysis.provider;

import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.internal.GoQuery;
import io.glidepath.analysis.internal.HttpSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Queries Graphite's render API for Argo Rollouts' {@code graphite} provider.
 *
 * <p>Template settings: {@code address} (Graphite's base URL) and {@code query}, the render
 * parameters as Argo takes them ({@code target=summarize(...)&from=-5min}). As Argo does, runs of
 * white space in the query become one space, {@code format=json} is added, and the parameters are
 * re-encoded sorted by name: {@code GET <address>/render?format=json&target=...}.
 *
 * <p>The result is the list of the first target's non-null values ({@code result[0] >= 90}); a
 * response without a target or without a value is an error, as is an HTTP status of 400 or more.
 * Thread-safe; share one instance.
 */
public final class GraphiteProvider implements MetricProvider {
  /** The provider type. */
  public static final String TYPE = "graphite";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client;

  private GraphiteProvider(Builder b) {
    this.client = b.client != null ? b.client : HttpSupport.defaultClient(TIMEOUT);
  }

  public static GraphiteProvider ofDefaults() {
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
    ProviderOptions o = ProviderOptions.of(spec).allow("address", "query");
    o.required("address");
    o.required("query");
  }

  @Override
  public MetricValue measure(MeasurementRequest request) {
    ProviderSpec spec = request.provider();
    String address = spec.text("address");
    if (address.isBlank()) {
      throw new MetricProviderException(TYPE, "address must be set");
    }
    URI base = HttpSupport.httpUri(address, "address", TYPE);
    Map<String, List<String>> params;
    try {
      params = GoQuery.parse(spec.text("query").replaceAll("\\s+", " ").trim());
    } catch (IllegalArgumentException e) {
      throw new MetricProviderException(TYPE, "query: " + e.getMessage(), e);
    }
    params.put("format", List.of("json"));
    URI uri =
        URI.create(HttpSupport.join(base.toString(), "/render") + "?" + GoQuery.encode(params));
    HttpRequest r = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
    HttpResponse<String> response = HttpSupport.send(client, r, TYPE);
    if (response.statusCode() >= 400) {
      throw new MetricProviderException(
          TYPE,
          "error response: " + HttpSupport.excerpt(response.body()),
          response.statusCode(),
          null);
    }
    JsonNode root = HttpSupport.json(response, TYPE);
    if (!root.isArray() || root.isEmpty()) {
      throw new MetricProviderException(TYPE, "no values found: the query matched no target");
    }
    List<Double> values = new ArrayList<>();
    for (JsonNode point : root.get(0).path("datapoints").values()) {
      JsonNode v = point.path(0);
      if (v.isNumber()) {
        values.add(v.doubleValue());
      } else if (v.isString()) {
        try {
          values.add(Double.parseDouble(v.asString()));
        } catch (NumberFormatException e) {
          throw new MetricProviderException(TYPE, "a data point is not a number: " + v);
        }
      }
    }
    if (values.isEmpty()) {
      throw new MetricProviderException(TYPE, "no values found");
    }
    return MetricValue.vector(values);
  }

  @Override
  public String toString() {
    return "GraphiteProvider";
  }

  /** Builds a {@link GraphiteProvider}. */
  public static final class Builder {
    private HttpClient client;

    private Builder() {}

    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    public GraphiteProvider build() {
      return new GraphiteProvider(this);
    }
  }
}
