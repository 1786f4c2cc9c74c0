package io.glidepath.analysis.provider;

import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.internal.HttpSupport;
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
import tools.jackson.databind.JsonNode;

/**
 * Queries Wavefront (VMware Aria Operations for Applications) for Argo Rollouts' {@code wavefront}
 * provider: {@code GET https://<address>/api/v2/chart/api?q=<query>&s=<evaluation time,
 * ms>&g=s&p=1} with {@code Authorization: Bearer <token>}.
 *
 * <p>Template settings: {@code address} (a host, or a URL with scheme) and {@code query}. The token
 * is the value under the key {@code address} of the Secret {@value #SECRET} in the platform
 * namespace, as in Argo.
 *
 * <p>Result, as Argo gives it: the first point of each series; one series is a number, several a
 * list. A NaN value makes the measurement Inconclusive without evaluating the conditions; no series
 * is an error. Thread-safe; share one instance.
 */
public final class WavefrontProvider implements MetricProvider {
  /** The provider type. */
  public static final String TYPE = "wavefront";

  /** The Secret holding one API token per Wavefront address. */
  public static final String SECRET = "wavefront-api-tokens";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client;
  private final SecretSource secrets;

  private WavefrontProvider(Builder b) {
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
    ProviderOptions o = ProviderOptions.of(spec).allow("address", "query");
    o.required("address");
    o.required("query");
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
    String address = spec.text("address").trim();
    String query = spec.text("query");
    if (address.isEmpty() || query.isBlank()) {
      throw new MetricProviderException(TYPE, "address and query must be set");
    }
    String token =
        secrets
            .secret(Optional.empty(), SECRET)
            .map(d -> d.get(address))
            .filter(t -> !t.isEmpty())
            .orElseThrow(
                () ->
                    new MetricProviderException(
                        TYPE,
                        "API token not found: Secret '"
                            + SECRET
                            + "' has no key '"
                            + address
                            + "'"));
    String base = address.contains("://") ? address : "https://" + address;
    Map<String, String> params = new LinkedHashMap<>();
    params.put("q", query);
    params.put("s", Long.toString(request.evaluationTime().toEpochMilli()));
    params.put("g", "s");
    params.put("p", "1");
    URI uri =
        URI.create(HttpSupport.join(base, "/api/v2/chart/api") + "?" + HttpSupport.form(params));
    HttpRequest r =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response = HttpSupport.send(client, r, TYPE);
    HttpSupport.requireSuccess(response, TYPE);
    JsonNode root = HttpSupport.json(response, TYPE);
    JsonNode series = root.path("timeseries");
    if (!series.isArray() || series.isEmpty()) {
      throw new MetricProviderException(TYPE, "No TimeSeries found in response from Wavefront");
    }
    List<Double> values = new ArrayList<>();
    for (JsonNode s : series.values()) {
      JsonNode first = s.path("data").path(0);
      if (!first.isArray() || first.size() < 2) {
        throw new MetricProviderException(
            TYPE, "a series of the response has no data point: " + s.path("label").asString(""));
      }
      values.add(number(first.get(1)));
    }
    MetricValue value =
        values.size() == 1 ? MetricValue.scalar(values.get(0)) : MetricValue.vector(values);
    if (values.stream().anyMatch(v -> v.isNaN())) {
      return Observation.judged(AnalysisPhase.INCONCLUSIVE, value, "Wavefront returned NaN");
    }
    return Observation.value(value);
  }

  private static double number(JsonNode n) {
    if (n.isNumber()) {
      return n.doubleValue();
    }
    String s = n.asString("");
    if (s.equals("NaN")) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new MetricProviderException(TYPE, "a data point is not a number: " + n);
    }
  }

  @Override
  public String toString() {
    return "WavefrontProvider";
  }

  /** Builds a {@link WavefrontProvider}. */
  public static final class Builder {
    private HttpClient client;
    private SecretSource secrets = SecretSource.NONE;

    private Builder() {}

    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Where the {@code wavefront-api-tokens} Secret is read. */
    public Builder secrets(SecretSource secrets) {
      this.secrets = Objects.requireNonNull(secrets, "secrets");
      return this;
    }

    public WavefrontProvider build() {
      return new WavefrontProvider(this);
    }
  }
}
