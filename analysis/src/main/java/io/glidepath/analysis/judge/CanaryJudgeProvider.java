package io.glidepath.analysis.judge;

import io.glidepath.analysis.Metric;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.provider.MeasurementRequest;
import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviderException;
import io.glidepath.core.time.GoDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@link CanaryJudge} as a metric provider ({@code canaryJudge}), so that a template can gate
 * on a statistical comparison: {@code successCondition: result.verdict == 'Pass'} or {@code
 * result.score >= 95}.
 *
 * <pre>{@code
 * provider:
 *   canaryJudge:
 *     lookback: 10m          # samples from evaluation time - lookback to evaluation time
 *     step: 30s
 *     confidence: 0.98       # optional, also passThreshold, marginalThreshold
 *     metrics:
 *     - name: p99
 *       group: latency
 *       canary: histogram_quantile(0.99, sum(rate(x_bucket{track="canary"}[1m])) by (le))
 *       baseline: histogram_quantile(0.99, sum(rate(x_bucket{track="stable"}[1m])) by (le))
 *       direction: increase  # increase | decrease | either
 *       tolerance: 0.1
 *       nanStrategy: remove  # remove | replace (with 0)
 * }</pre>
 *
 * <p>Samples come from a {@link SampleSource}; {@link #prometheus(MetricProvider)} runs each query
 * as a Prometheus range query. The result is a map: {@code score}, {@code verdict} ({@code Pass},
 * {@code Marginal}, {@code Fail}) and {@code classifications} (metric name to {@code PASS}, {@code
 * HIGH}, {@code LOW}, {@code NODATA}). Thread-safe if the source is.
 */
public final class CanaryJudgeProvider implements MetricProvider {
  /** The provider type. */
  public static final String TYPE = "canaryJudge";

  /** Fetches the samples of one query over a time window. */
  @FunctionalInterface
  public interface SampleSource {
    /**
     * The samples of {@code query} from {@code end - lookback} to {@code end}, every {@code step}.
     */
    double[] samples(String query, Instant end, Duration lookback, Duration step);
  }

  private final SampleSource source;

  private CanaryJudgeProvider(SampleSource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  /** A provider taking samples from {@code source}. */
  public static CanaryJudgeProvider of(SampleSource source) {
    return new CanaryJudgeProvider(source);
  }

  /** A sample source running range queries through a Prometheus provider. */
  public static SampleSource prometheus(MetricProvider prometheus) {
    return (query, end, lookback, step) -> {
      ObjectNode config = JsonNodeFactory.instance.objectNode();
      config.put("query", query);
      ObjectNode range = config.putObject("rangeQuery");
      range.put("start", "now() - duration(\"" + GoDuration.format(lookback) + "\")");
      range.put("end", "now()");
      range.put("step", GoDuration.format(step));
      Metric metric =
          Metric.newBuilder("canary-judge-sample")
              .provider(new ProviderSpec("prometheus", config))
              .build();
      List<Double> values =
          prometheus.measure(new MeasurementRequest("canary-judge", metric, end)).numbers();
      return values.stream().mapToDouble(Double::doubleValue).toArray();
    };
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public MetricValue measure(MeasurementRequest request) {
    JsonNode config = request.provider().config();
    CanaryJudge.Builder b = CanaryJudge.newBuilder();
    Map<String, String[]> queries = new LinkedHashMap<>();
    try {
      if (config.has("confidence")) {
        b.confidence(config.get("confidence").asDouble());
      }
      if (config.has("passThreshold") || config.has("marginalThreshold")) {
        b.thresholds(
            config.path("passThreshold").asDouble(CanaryJudge.DEFAULT_PASS_THRESHOLD),
            config.path("marginalThreshold").asDouble(CanaryJudge.DEFAULT_MARGINAL_THRESHOLD));
      }
      for (JsonNode m : config.path("metrics").values()) {
        String name = m.path("name").asString("");
        String canary = m.path("canary").asString("");
        String baseline = m.path("baseline").asString("");
        if (name.isEmpty() || canary.isEmpty() || baseline.isEmpty()) {
          throw new IllegalArgumentException("every metric needs name, canary and baseline");
        }
        b.addMetric(
            new CanaryJudge.MetricConfig(
                name,
                m.path("group").asString("default"),
                CanaryJudge.Direction.valueOf(
                    m.path("direction").asString("either").toUpperCase(Locale.ROOT)),
                m.path("tolerance").asDouble(0),
                CanaryJudge.NanStrategy.valueOf(
                    m.path("nanStrategy").asString("remove").toUpperCase(Locale.ROOT)),
                0));
        queries.put(name, new String[] {canary, baseline});
      }
    } catch (IllegalArgumentException e) {
      throw new MetricProviderException(TYPE, "invalid configuration: " + e.getMessage(), e);
    }
    CanaryJudge judge = b.build();
    Duration lookback = GoDuration.parse(config.path("lookback").asString("10m"));
    Duration step = GoDuration.parse(config.path("step").asString("30s"));
    Map<String, CanaryJudge.Samples> samples = new LinkedHashMap<>();
    queries.forEach(
        (name, q) ->
            samples.put(
                name,
                new CanaryJudge.Samples(
                    source.samples(q[0], request.evaluationTime(), lookback, step),
                    source.samples(q[1], request.evaluationTime(), lookback, step))));
    CanaryJudge.Judgement j = judge.judge(samples);
    Map<String, MetricValue> classifications = new LinkedHashMap<>();
    j.metrics()
        .forEach(m -> classifications.put(m.name(), MetricValue.string(m.classification().name())));
    Map<String, MetricValue> out = new LinkedHashMap<>();
    out.put("score", MetricValue.scalar(j.score()));
    out.put("verdict", MetricValue.string(j.verdict().toString()));
    out.put("classifications", MetricValue.map(classifications));
    return MetricValue.map(out);
  }
}
