package io.glidepath.examples.traffic;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Simulated trade-service traffic for the demo: requests flow through Kubernetes Services (the
 * stable and canary Services of a rollout) to builds with known behaviour, and the resulting
 * metrics are served on 127.0.0.1 in Prometheus' text format for a real Prometheus to scrape:
 *
 * <ul>
 *   <li>{@code http_requests_total{service, status}} (status {@code 200} or {@code 500});
 *   <li>{@code http_request_duration_seconds_bucket{service, le}} with {@code _count} and {@code
 *       _sum}.
 * </ul>
 *
 * <p>{@link #route(String, String, double)} says which build behind which Service gets which share
 * of the traffic (the demo follows the VirtualService weights); {@link #profile} how each build
 * behaves. Counters advance with the injected clock whenever metrics are read or routes change, so
 * the figures are exact functions of time, shares and profiles.
 *
 * <pre>{@code
 * try (TrafficSimulator traffic = TrafficSimulator.start(Clock.systemUTC(), 200)) {
 *   traffic.profile("v3", new TrafficProfile(0.08, 0.2));
 *   traffic.route("trade-service-stable", "v2", 0.9);
 *   traffic.route("trade-service-canary", "v3", 0.1);
 *   URI scrape = traffic.metricsUri();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TrafficSimulator implements AutoCloseable {
  /** Histogram bucket bounds, in seconds. */
  static final double[] BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, Double.POSITIVE_INFINITY};

  private final Clock clock;
  private final double requestsPerSecond;
  private final HttpServer server;
  private final Map<String, TrafficProfile> profiles = new LinkedHashMap<>();
  private final Map<String, Route> routes = new TreeMap<>();
  private final Map<String, Counters> counters = new TreeMap<>();
  private Instant last;

  private record Route(String tag, double share) {}

  private static final class Counters {
    double ok;
    double errors;
    final double[] buckets = new double[BUCKETS.length];
    double sum;
  }

  private TrafficSimulator(Clock clock, double requestsPerSecond, HttpServer server) {
    this.clock = clock;
    this.requestsPerSecond = requestsPerSecond;
    this.server = server;
    this.last = clock.instant();
  }

  /** Starts serving {@code /metrics} on a free port of 127.0.0.1. */
  public static TrafficSimulator start(Clock clock, double requestsPerSecond) {
    Objects.requireNonNull(clock, "clock");
    if (!(requestsPerSecond > 0)) {
      throw new IllegalArgumentException(
          "requestsPerSecond must be > 0, but was " + requestsPerSecond);
    }
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      TrafficSimulator sim = new TrafficSimulator(clock, requestsPerSecond, server);
      server.createContext(
          "/metrics",
          exchange -> {
            byte[] body = sim.exposition().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
      return sim;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the traffic simulator", e);
    }
  }

  /** Sets how the build {@code tag} behaves; unknown tags behave {@link TrafficProfile#HEALTHY}. */
  public synchronized void profile(String tag, TrafficProfile profile) {
    advance();
    profiles.put(Objects.requireNonNull(tag, "tag"), Objects.requireNonNull(profile, "profile"));
  }

  /**
   * Sends {@code share} (0..1) of all traffic through {@code service} to build {@code tag}; a share
   * of 0 stops it. Shares of all routes should add up to 1.
   */
  public synchronized void route(String service, String tag, double share) {
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException("share must be within 0..1, but was " + share);
    }
    advance();
    routes.put(
        Objects.requireNonNull(service, "service"),
        new Route(Objects.requireNonNull(tag, "tag"), share));
    counters.computeIfAbsent(service, s -> new Counters());
  }

  /**
   * How the build behind {@code service} behaves, if traffic flows through it (a share above 0);
   * the demo's stand-in for Prometheus answers from this when no Prometheus is installed.
   */
  public synchronized java.util.Optional<TrafficProfile> profileBehind(String service) {
    Route route = routes.get(service);
    if (route == null || route.share() <= 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(profiles.getOrDefault(route.tag(), TrafficProfile.HEALTHY));
  }

  /** Where Prometheus scrapes the metrics. */
  public URI metricsUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
  }

  /** Moves the counters to the clock's present. */
  private void advance() {
    Instant now = clock.instant();
    double seconds = Duration.between(last, now).toNanos() / 1e9;
    last = now;
    if (seconds <= 0) {
      return;
    }
    for (Map.Entry<String, Route> e : routes.entrySet()) {
      Route route = e.getValue();
      TrafficProfile profile = profiles.getOrDefault(route.tag(), TrafficProfile.HEALTHY);
      double requests = requestsPerSecond * route.share() * seconds;
      Counters c = counters.get(e.getKey());
      c.errors += requests * profile.errorRate();
      c.ok += requests * (1 - profile.errorRate());
      for (int i = 0; i < BUCKETS.length; i++) {
        c.buckets[i] += requests * profile.fractionWithin(BUCKETS[i]);
      }
      // the mean of the exponential model: p99 / ln(100)
      c.sum += requests * profile.p99Seconds() / Math.log(100);
    }
  }

  /** The metrics in Prometheus' text exposition format, advanced to now. */
  public synchronized String exposition() {
    advance();
    StringBuilder sb = new StringBuilder();
    sb.append("# HELP http_requests_total Requests served, by Service and status.\n");
    sb.append("# TYPE http_requests_total counter\n");
    counters.forEach(
        (service, c) -> {
          sb.append(line("http_requests_total", service, "status", "200", c.ok));
          sb.append(line("http_requests_total", service, "status", "500", c.errors));
        });
    sb.append("# HELP http_request_duration_seconds Request latency, by Service.\n");
    sb.append("# TYPE http_request_duration_seconds histogram\n");
    counters.forEach(
        (service, c) -> {
          for (int i = 0; i < BUCKETS.length; i++) {
            String le = Double.isInfinite(BUCKETS[i]) ? "+Inf" : trim(BUCKETS[i]);
            sb.append(
                line("http_request_duration_seconds_bucket", service, "le", le, c.buckets[i]));
          }
          sb.append(
              line("http_request_duration_seconds_count", service, null, null, c.ok + c.errors));
          sb.append(line("http_request_duration_seconds_sum", service, null, null, c.sum));
        });
    return sb.toString();
  }

  private static String line(String name, String service, String label, String value, double v) {
    String extra = label == null ? "" : "," + label + "=\"" + value + "\"";
    return name
        + "{service=\""
        + service
        + "\""
        + extra
        + "} "
        + String.format(Locale.ROOT, "%.6f", v)
        + "\n";
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
