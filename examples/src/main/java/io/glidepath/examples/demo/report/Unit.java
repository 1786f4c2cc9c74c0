package io.glidepath.examples.demo.report;

import io.glidepath.analysis.Metric;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The unit of a metric's values, for a chart's y axis, read from its Prometheus query the way a
 * person reads it: a query over a {@code *_seconds} series (a histogram quantile, a duration sum)
 * gives seconds; a division of two aggregations ({@code sum(...) / sum(...)}) gives a ratio; any
 * other query gives plain numbers.
 */
enum Unit {
  /** Seconds: ticks read {@code 0.25 s}. */
  SECONDS("seconds", " s"),
  /** A ratio of two rates (1 = 100%). */
  RATIO("ratio, 1 = 100%", ""),
  /** A number of unknown unit. */
  NONE("", "");

  private static final Pattern SECONDS_SERIES = Pattern.compile("[a-z0-9]_seconds(_|\\b)");
  private static final Pattern DIVISION = Pattern.compile("\\)\\s*/\\s*[a-z(]", Pattern.DOTALL);

  private final String description;
  private final String suffix;

  Unit(String description, String suffix) {
    this.description = description;
    this.suffix = suffix;
  }

  /** The unit of {@code metric}'s values, from its query; {@link #NONE} when it has none. */
  static Unit of(Metric metric) {
    String query = metric.provider().text("query").toLowerCase(Locale.ROOT);
    if (SECONDS_SERIES.matcher(query).find()) {
      return SECONDS;
    }
    if (DIVISION.matcher(query).find()) {
      return RATIO;
    }
    return NONE;
  }

  /** The y axis's title: the metric's name and its unit, e.g. {@code p99-latency (seconds)}. */
  String title(String metric) {
    return description.isEmpty() ? metric : metric + " (" + description + ")";
  }

  /** A tick label of {@code value}. */
  String tick(double value) {
    return SvgChart.number(value) + suffix;
  }
}
