package io.glidepath.analysis.provider;

import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.internal.HttpSupport;
import io.glidepath.core.yaml.Yaml;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs a Kayenta canary judgement for Argo Rollouts' {@code kayenta} provider.
 *
 * <p>Start: looks the canary config up by name ({@code GET
 * <address>/canaryConfig?application=..&configurationAccountName=..}), starts the judgement ({@code
 * POST <address>/canary/<configId>?application=..&metricsAccountName=..
 * &configurationAccountName=..&storageAccountName=..} with the {@code scopes} and the {@code
 * threshold}) and polls {@code GET <address>/canary/<canaryExecutionId>} every {@value
 * #POLL_SECONDS} s (Argo's resume delay; {@link Builder#pollInterval}) until it is complete.
 *
 * <p>The verdict is Argo's: the score (truncated to an integer, recorded as the value) {@code >=
 * threshold.pass} is Successful, {@code >= threshold.marginal} Inconclusive, below Failed; the
 * metric's conditions are not evaluated. Argo looks the config up with the storage account as
 * configuration account; Glidepath sends {@code configurationAccountName}, which is what Kayenta's
 * API takes. Thread-safe.
 */
public final class KayentaProvider implements MetricProvider {
  /** The provider type. */
  public static final String TYPE = "kayenta";

  /** Seconds between looks at a running judgement (Argo's resume delay). */
  public static final int POLL_SECONDS = 15;

  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final String EXECUTION_ID = "canaryExecutionId";

  private final HttpClient client;
  private final Duration pollInterval;

  private KayentaProvider(Builder b) {
    this.client = b.client != null ? b.client : HttpSupport.defaultClient(TIMEOUT);
    this.pollInterval = b.pollInterval;
  }

  public static KayentaProvider ofDefaults() {
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
    ProviderOptions o =
        ProviderOptions.of(spec)
            .allow(
                "address",
                "application",
                "canaryConfigName",
                "metricsAccountName",
                "configurationAccountName",
                "storageAccountName",
                "threshold",
                "scopes");
    for (String f :
        new String[] {
          "address",
          "application",
          "canaryConfigName",
          "metricsAccountName",
          "configurationAccountName",
          "storageAccountName"
        }) {
      o.required(f);
    }
    o.object("threshold").allow("pass", "marginal").integer("pass", 0).integer("marginal", 0);
    for (ProviderOptions scope : o.list("scopes")) {
      scope.allow("name", "controlScope", "experimentScope").required("name");
      for (String side : new String[] {"controlScope", "experimentScope"}) {
        scope.object(side).allow("scope", "region", "step", "start", "end").integer("step", 0);
      }
    }
  }

  @Override
  public MetricValue measure(MeasurementRequest request) {
    throw new MetricProviderException(
        TYPE, "a Kayenta judgement runs over time; run it in an AnalysisRun");
  }

  @Override
  public Observation start(MeasurementRequest request) {
    JsonNode c = request.provider().config();
    String address = text(c, "address");
    HttpSupport.httpUri(address, "address", TYPE);
    String application = text(c, "application");
    Map<String, String> lookup = new LinkedHashMap<>();
    lookup.put("application", application);
    lookup.put("configurationAccountName", text(c, "configurationAccountName"));
    HttpResponse<String> configs =
        get(
            URI.create(
                HttpSupport.join(address, "/canaryConfig") + "?" + HttpSupport.form(lookup)));
    String name = text(c, "canaryConfigName");
    String configId = null;
    for (JsonNode config : HttpSupport.json(configs, TYPE).values()) {
      if (name.equals(config.path("name").asString(""))) {
        configId = config.path("id").asString("");
      }
    }
    if (configId == null || configId.isEmpty()) {
      throw new MetricProviderException(
          TYPE, "no canary config named '" + name + "' for application '" + application + "'");
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("application", application);
    params.put("metricsAccountName", text(c, "metricsAccountName"));
    params.put("configurationAccountName", text(c, "configurationAccountName"));
    params.put("storageAccountName", text(c, "storageAccountName"));
    URI start =
        URI.create(
            HttpSupport.join(address, "/canary/" + HttpSupport.segment(configId))
                + "?"
                + HttpSupport.form(params));
    HttpRequest post =
        HttpRequest.newBuilder(start)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Yaml.toJson(payload(c))))
            .build();
    HttpResponse<String> started = HttpSupport.send(client, post, TYPE);
    if (started.statusCode() != 200) {
      throw new MetricProviderException(
          TYPE,
          "starting the judgement: "
              + HttpSupport.safe(start)
              + " answered HTTP "
              + started.statusCode()
              + ": "
              + HttpSupport.excerpt(started.body()),
          started.statusCode(),
          null);
    }
    String id = HttpSupport.json(started, TYPE).path(EXECUTION_ID).asString("");
    if (id.isEmpty()) {
      throw new MetricProviderException(TYPE, "Invalid canaryExecutionId in Kayenta's answer");
    }
    return Observation.running(pollInterval, Map.of(EXECUTION_ID, id));
  }

  @Override
  public Observation poll(MeasurementRequest request, Observation.Running running) {
    JsonNode c = request.provider().config();
    String id = running.metadata().getOrDefault(EXECUTION_ID, "");
    URI uri =
        URI.create(
            HttpSupport.join(text(c, "address"), "/canary/" + HttpSupport.segment(id)).toString());
    JsonNode body = HttpSupport.json(get(uri), TYPE);
    JsonNode complete = body.get("complete");
    if (complete == null || !complete.isBoolean()) {
      throw new MetricProviderException(TYPE, "Missing Complete Status in Kayenta's answer");
    }
    if (!complete.booleanValue()) {
      return Observation.running(pollInterval, running.metadata());
    }
    JsonNode score = body.path("result").path("judgeResult").path("score").path("score");
    if (!score.isNumber()) {
      throw new MetricProviderException(TYPE, "Missing Score in Kayenta's answer");
    }
    int s = (int) score.doubleValue();
    int pass = c.path("threshold").path("pass").asInt(0);
    int marginal = c.path("threshold").path("marginal").asInt(0);
    AnalysisPhase phase =
        s >= pass
            ? AnalysisPhase.SUCCESSFUL
            : s >= marginal ? AnalysisPhase.INCONCLUSIVE : AnalysisPhase.FAILED;
    return Observation.judged(
        phase,
        MetricValue.scalar(s),
        "score " + s + " (pass " + pass + ", marginal " + marginal + ")");
  }

  private static ObjectNode payload(JsonNode c) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    ObjectNode scopes = root.putObject("scopes");
    for (JsonNode s : c.path("scopes").values()) {
      ObjectNode scope = scopes.putObject(s.path("name").asString(""));
      scope.set("controlScope", detail(s.path("controlScope")));
      scope.set("experimentScope", detail(s.path("experimentScope")));
    }
    ObjectNode thresholds = root.putObject("thresholds");
    thresholds.put("pass", c.path("threshold").path("pass").asInt(0));
    thresholds.put("marginal", c.path("threshold").path("marginal").asInt(0));
    return root;
  }

  private static ObjectNode detail(JsonNode d) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("scope", d.path("scope").asString(""));
    o.put("region", d.path("region").asString(""));
    o.put("step", d.path("step").asInt(0));
    o.put("start", d.path("start").asString(""));
    o.put("end", d.path("end").asString(""));
    return o;
  }

  private HttpResponse<String> get(URI uri) {
    HttpRequest r =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response = HttpSupport.send(client, r, TYPE);
    if (response.statusCode() != 200) {
      throw new MetricProviderException(
          TYPE,
          HttpSupport.safe(uri)
              + " answered HTTP "
              + response.statusCode()
              + ": "
              + HttpSupport.excerpt(response.body()),
          response.statusCode(),
          null);
    }
    return response;
  }

  private static String text(JsonNode c, String field) {
    String v = c.path(field).asString("");
    if (v.isBlank()) {
      throw new MetricProviderException(TYPE, field + " must be set");
    }
    return v;
  }

  @Override
  public String toString() {
    return "KayentaProvider";
  }

  /** Builds a {@link KayentaProvider}. */
  public static final class Builder {
    private HttpClient client;
    private Duration pollInterval = Duration.ofSeconds(POLL_SECONDS);

    private Builder() {}

    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Time between looks at a running judgement (default Argo's {@value #POLL_SECONDS} s). */
    public Builder pollInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive, but was " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    public KayentaProvider build() {
      return new KayentaProvider(this);
    }
  }
}
