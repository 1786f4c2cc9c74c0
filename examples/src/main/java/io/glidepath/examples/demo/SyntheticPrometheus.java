package io.glidepath.examples.demo;

import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.provider.MeasurementRequest;
import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviderException;
import io.glidepath.analysis.provider.PrometheusProvider;
import io.glidepath.examples.traffic.TrafficProfile;
import io.glidepath.examples.traffic.TrafficSimulator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's stand-in when no Prometheus binary is installed, clearly labelled as such in the
 * output: it answers the two seed queries (success rate, P99 latency) from the profile of the build
 * the queried Service routes to, instead of evaluating PromQL over scraped samples.
 *
 * <p>Thread-safe.
 */
final class SyntheticPrometheus implements MetricProvider {
  private static final Pattern SERVICE = Pattern.compile("service=\"([^\"]+)\"");

  private final TrafficSimulator traffic;

  SyntheticPrometheus(TrafficSimulator traffic) {
    this.traffic = traffic;
  }

  @Override
  public String type() {
    return PrometheusProvider.TYPE;
  }

  @Override
  public MetricValue measure(MeasurementRequest request) {
    String query = request.provider().text("query");
    Matcher m = SERVICE.matcher(query);
    if (!m.find()) {
      throw new MetricProviderException(
          type(), "synthetic Prometheus: no service label in " + query);
    }
    TrafficProfile p =
        traffic
            .profileBehind(m.group(1))
            .orElseThrow(
                () ->
                    new MetricProviderException(
                        type(), "synthetic Prometheus: no traffic through " + m.group(1)));
    if (query.contains("histogram_quantile")) {
      return MetricValue.vector(p.p99Seconds());
    }
    return MetricValue.vector(1 - p.errorRate());
  }
}
