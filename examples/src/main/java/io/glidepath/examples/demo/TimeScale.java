package io.glidepath.examples.demo;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.time.GoDuration;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Compresses the durations of a Rollout and its AnalysisTemplates by a factor, so that the seed's
 * 15-minute canary runs in under a minute while the chart keeps the seed's real durations: canary
 * pauses, metric intervals and initial delays, and the range selectors ({@code [1m]}) of Prometheus
 * queries are divided by the factor. A range never drops below {@link #MIN_RANGE} so that it still
 * spans several scrapes.
 *
 * <pre>{@code
 * TimeScale scale = TimeScale.of(20);
 * Resource fast = scale.rollout(rollout);   // pause: {duration: 2m} -> 6000ms
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param factor how many times faster than real time, at least 1
 */
public record TimeScale(double factor) {
  /** The shortest query range after scaling: four scrapes at the demo's 250 ms. */
  public static final Duration MIN_RANGE = Duration.ofSeconds(1);

  private static final Pattern RANGE = Pattern.compile("\\[([0-9]+(?:ms|s|m|h))\\]");

  public TimeScale {
    if (!(factor >= 1)) {
      throw new IllegalArgumentException("timeScale must be >= 1, but was " + factor);
    }
  }

  /** A scale {@code factor} times faster than real time. */
  public static TimeScale of(double factor) {
    return new TimeScale(factor);
  }

  /** {@code d} divided by the factor, at least one millisecond. */
  public Duration scale(Duration d) {
    return Duration.ofMillis(Math.max(1, Math.round(d.toMillis() / factor)));
  }

  /** The Rollout with every canary pause scaled. */
  public Resource rollout(Resource rollout) {
    return rollout.edit(
        body -> {
          for (JsonNode step : body.path("spec").path("strategy").path("canary").path("steps")) {
            JsonNode pause = step.path("pause");
            if (pause.isObject() && pause.has("duration")) {
              ((ObjectNode) pause).put("duration", scaled(pause.path("duration").asString()));
            }
          }
        });
  }

  /** The AnalysisTemplate with metric intervals, initial delays and query ranges scaled. */
  public Resource template(Resource template) {
    return template.edit(
        body -> {
          for (JsonNode m : body.path("spec").path("metrics")) {
            ObjectNode metric = (ObjectNode) m;
            for (String field : new String[] {"interval", "initialDelay"}) {
              if (metric.has(field)) {
                metric.put(field, scaled(metric.path(field).asString()));
              }
            }
            JsonNode prometheus = metric.path("provider").path("prometheus");
            if (prometheus.isObject() && prometheus.has("query")) {
              ((ObjectNode) prometheus)
                  .put("query", scaleRanges(prometheus.path("query").asString()));
            }
          }
        });
  }

  /** {@code query} with each range selector divided by the factor (not below MIN_RANGE). */
  public String scaleRanges(String query) {
    Matcher m = RANGE.matcher(query);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      Duration range = scale(GoDuration.parse(m.group(1)));
      if (range.compareTo(MIN_RANGE) < 0) {
        range = MIN_RANGE;
      }
      m.appendReplacement(sb, "[" + range.toMillis() + "ms]");
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private String scaled(String goDuration) {
    return scale(GoDuration.parse(goDuration)).toMillis() + "ms";
  }
}
