package io.glidepath.examples.traffic;

/**
 * How one build of the trade-service behaves: the share of requests that fail with a 5xx, and the
 * 99th percentile of request latency.
 *
 * @param errorRate the fraction of requests answered 500, 0..1
 * @param p99Seconds the 99th-percentile latency in seconds
 */
public record TrafficProfile(double errorRate, double p99Seconds) {
  /** A healthy build: 0.1% errors, P99 200 ms. */
  public static final TrafficProfile HEALTHY = new TrafficProfile(0.001, 0.2);

  public TrafficProfile {
    if (errorRate < 0 || errorRate > 1) {
      throw new IllegalArgumentException("errorRate must be within 0..1, but was " + errorRate);
    }
    if (!(p99Seconds > 0)) {
      throw new IllegalArgumentException("p99Seconds must be > 0, but was " + p99Seconds);
    }
  }

  /**
   * The fraction of requests at most {@code seconds} long. Latency is modelled as exponential with
   * the rate that puts the 99th percentile at {@link #p99Seconds()}.
   */
  public double fractionWithin(double seconds) {
    if (Double.isInfinite(seconds)) {
      return 1.0;
    }
    double lambda = Math.log(100) / p99Seconds;
    return 1 - Math.exp(-lambda * seconds);
  }
}
