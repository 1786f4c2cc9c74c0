package io.glidepath.analysis.provider;

import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.internal.HttpSupport;
import io.glidepath.core.yaml.Yaml;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs NRQL through New Relic's NerdGraph (GraphQL) API for Argo Rollouts' {@code newRelic}
 * provider.
 *
 * <p>Template settings: {@code query} (NRQL), {@code profile} (the Secret to read, default {@value
 * #SECRET}) and {@code timeout} (NRQL timeout in seconds, sent to NerdGraph). The Secret, in the
 * platform namespace, has {@code personal-api-key}, {@code account-id}, and optionally {@code
 * region} ({@code us} default, or {@code eu}) and {@code base-url-nerdgraph} (the GraphQL URL, for
 * a proxy).
 *
 * <p>The result is what Argo gives conditions: one row is a map ({@code result.successRate}, {@code
 * result['average.duration']}), several rows a list of maps; no row is an error. GraphQL errors and
 * non-2xx answers make the measurement Error with New Relic's message.
 *
 * <p>Thread-safe; share one instance.
 */
public final class NewRelicProvider implements MetricProvider {
  /** The provider type. */
  public static final String TYPE = "newRelic";

  /** The Secret Argo reads when a template has no {@code profile}. */
  public static final String SECRET = "newrelic";

  /** NerdGraph in the US region. */
  public static final String US_NERDGRAPH = "https://api.newrelic.com/graphql";

  /** NerdGraph in the EU region. */
  public static final String EU_NERDGRAPH = "https://api.eu.newrelic.com/graphql";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client;
  private final SecretSource secrets;

  private NewRelicProvider(Builder b) {
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
    ProviderOptions.of(spec)
        .allow("profile", "query", "timeout")
        .integer("timeout", 1)
        .required("query");
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
    String apiKey = secret.getOrDefault("personal-api-key", "");
    String account = secret.getOrDefault("account-id", "");
    if (apiKey.isEmpty() || account.isEmpty()) {
      throw new MetricProviderException(
          TYPE, "account ID or personal API key not found in Secret '" + profile + "'");
    }
    long accountId;
    try {
      accountId = Long.parseLong(account.trim());
    } catch (NumberFormatException e) {
      throw new MetricProviderException(
          TYPE, "could not parse account ID of Secret '" + profile + "'", e);
    }
    String region = secret.getOrDefault("region", "us");
    String url = secret.getOrDefault("base-url-nerdgraph", "");
    if (url.isEmpty()) {
      url = region.equalsIgnoreCase("eu") ? EU_NERDGRAPH : US_NERDGRAPH;
    }
    URI uri = HttpSupport.httpUri(url, "base-url-nerdgraph", TYPE);
    long timeout = spec.config().path("timeout").asLong(0);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put(
        "query",
        timeout > 0
            ? "query($accountId: Int!, $query: Nrql!, $timeout: Seconds) { actor { account(id:"
                + " $accountId) { nrql(query: $query, timeout: $timeout) { results } } } }"
            : "query($accountId: Int!, $query: Nrql!) { actor { account(id: $accountId) {"
                + " nrql(query: $query) { results } } } }");
    ObjectNode vars = body.putObject("variables");
    vars.put("accountId", accountId);
    vars.put("query", query);
    if (timeout > 0) {
      vars.put("timeout", timeout);
    }
    HttpRequest r =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT.plusSeconds(timeout))
            .header("Content-Type", "application/json")
            .header("API-Key", apiKey)
            .POST(HttpRequest.BodyPublishers.ofString(Yaml.toJson(body)))
            .build();
    HttpResponse<String> response = HttpSupport.send(client, r, TYPE);
    JsonNode root =
        response.statusCode() / 100 == 2 || response.body().trim().startsWith("{")
            ? HttpSupport.json(response, TYPE)
            : null;
    if (root != null && root.path("errors").isArray() && !root.path("errors").isEmpty()) {
      List<String> messages = new ArrayList<>();
      for (JsonNode e : root.path("errors").values()) {
        messages.add(e.path("message").asString(e.toString()));
      }
      throw new MetricProviderException(
          TYPE, "NerdGraph error: " + String.join("; ", messages), response.statusCode(), null);
    }
    HttpSupport.requireSuccess(response, TYPE);
    JsonNode results = root.path("data").path("actor").path("account").path("nrql").path("results");
    if (!results.isArray() || results.isEmpty()) {
      throw new MetricProviderException(TYPE, "no results returned from NRQL query");
    }
    if (results.size() == 1) {
      if (results.get(0).isEmpty()) {
        throw new MetricProviderException(TYPE, "no results returned from NRQL query");
      }
      return MetricValue.ofJson(results.get(0));
    }
    return MetricValue.ofJson(results);
  }

  @Override
  public String toString() {
    return "NewRelicProvider";
  }

  /** Builds a {@link NewRelicProvider}. */
  public static final class Builder {
    private HttpClient client;
    private SecretSource secrets = SecretSource.NONE;

    private Builder() {}

    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Where the {@code newrelic} (or {@code profile}) Secret is read. */
    public Builder secrets(SecretSource secrets) {
      this.secrets = Objects.requireNonNull(secrets, "secrets");
      return this;
    }

    public NewRelicProvider build() {
      return new NewRelicProvider(this);
    }
  }
}
