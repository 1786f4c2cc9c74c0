package io.glidepath.testkit.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus (the Debian {@code prometheus} package's binary) on 127.0.0.1 serving data the
 * test defines, for deterministic tests of queries and analysis templates.
 *
 * <p>The builder collects samples; {@link Builder#start()} writes them as OpenMetrics, turns them
 * into TSDB blocks with {@code promtool tsdb create-blocks-from openmetrics}, and starts {@code
 * prometheus} on a free port with a temporary data directory, long retention and no scraping. Query
 * it at fixed times ({@code time=}) inside the data and results are the same on every run.
 *
 * <pre>{@code
 * Instant start = PrometheusServer.blockAlignedStart(Clock.systemUTC());
 * try (PrometheusServer prom = PrometheusServer.newBuilder()
 *     .counter("http_requests_total", Map.of("service", "a"), start, Duration.ofSeconds(15), 120, 0, 100)
 *     .start()) {
 *   URI api = prom.uri();
 * }
 * }</pre>
 *
 * <p>Samples must lie in the past and within one 2-hour block: use {@link
 * #blockAlignedStart(Clock)} and keep series under {@value #MAX_SPAN_MINUTES} minutes. Needs the
 * {@code prometheus} and {@code promtool} binaries ({@code apt-get install -y prometheus}); see
 * {@link #unavailableReason()}. Not thread-safe while building; the running server is.
 */
public final class PrometheusServer implements AutoCloseable {
  /** The longest span of samples that safely fits one block after {@link #blockAlignedStart}. */
  public static final int MAX_SPAN_MINUTES = 110;

  /** How to install the binaries, for skip and failure messages. */
  public static final String INSTALL_HINT = "apt-get install -y prometheus";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path dir;
  private final URI uri;
  private final Path log;

  private PrometheusServer(Process process, Path dir, URI uri, Path log) {
    this.process = process;
    this.dir = dir;
    this.uri = uri;
    this.log = log;
  }

  /** A new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Why the server cannot start here (a binary not on the PATH, naming {@value #INSTALL_HINT}), or
   * empty if it can.
   */
  public static Optional<String> unavailableReason() {
    for (String binary : List.of("prometheus", "promtool")) {
      if (find(binary).isEmpty()) {
        return Optional.of(
            "the '" + binary + "' binary is not on the PATH; install it with: " + INSTALL_HINT);
      }
    }
    return Optional.empty();
  }

  /**
   * A start for test data: the beginning of the 2-hour block (UTC, aligned as Prometheus aligns
   * blocks) that began at least 4 hours before {@code clock}'s now, so that every sample is in the
   * past and inside one block.
   */
  public static Instant blockAlignedStart(Clock clock) {
    long block = Duration.ofHours(2).getSeconds();
    long now = clock.instant().getEpochSecond();
    long start = ((now - Duration.ofHours(4).getSeconds()) / block) * block;
    return Instant.ofEpochSecond(start);
  }

  private static Optional<Path> find(String binary) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String d : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(d, binary);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The base URI, e.g. {@code http://127.0.0.1:41234/}. */
  public URI uri() {
    return uri;
  }

  /** True while the process runs. */
  public boolean isRunning() {
    return process.isAlive();
  }

  /** Stops the process (the data directory stays until {@link #close()}). */
  public void stop() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  /** Stops the process and deletes its data. */
  @Override
  public void close() {
    stop();
    deleteRecursively(dir);
  }

  /** The server's log (stdout and stderr), for diagnosing a failed test. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return "PrometheusServer[" + uri + (isRunning() ? "" : ", stopped") + "]";
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort: a temp dir left behind is harmless
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }

  /** Collects samples and starts the server. */
  public static final class Builder {
    /** family name -> series key -> samples (time seconds -> value). */
    private final Map<String, Map<String, TreeMap<Long, Double>>> families = new TreeMap<>();

    private Builder() {}

    /**
     * Adds one sample of a gauge-typed series (Prometheus treats every imported series alike, so
     * {@code rate()} and {@code histogram_quantile()} work on them).
     */
    public Builder sample(String name, Map<String, String> labels, Instant time, double value) {
      if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
        throw new IllegalArgumentException(
            "name must be a Prometheus metric name, but was '" + name + "'");
      }
      String key = labels(labels);
      families
          .computeIfAbsent(name, k -> new TreeMap<>())
          .computeIfAbsent(key, k -> new TreeMap<>())
          .put(time.getEpochSecond(), value);
      return this;
    }

    /**
     * Adds a counter: {@code points} samples {@code step} apart from {@code start}, starting at
     * {@code initial} and growing by {@code perSecond * step} each step.
     */
    public Builder counter(
        String name,
        Map<String, String> labels,
        Instant start,
        Duration step,
        int points,
        double initial,
        double perSecond) {
      if (points < 1) {
        throw new IllegalArgumentException("points must be >= 1, but was " + points);
      }
      if (step.multipliedBy(points).toMinutes() > MAX_SPAN_MINUTES) {
        throw new IllegalArgumentException(
            "series must span at most "
                + MAX_SPAN_MINUTES
                + " minutes, but spans "
                + step.multipliedBy(points));
      }
      double stepSeconds = step.toMillis() / 1000.0;
      for (int i = 0; i < points; i++) {
        sample(
            name, labels, start.plus(step.multipliedBy(i)), initial + perSecond * stepSeconds * i);
      }
      return this;
    }

    /** The OpenMetrics text the samples are imported from. */
    public String openMetrics() {
      StringBuilder out = new StringBuilder();
      families.forEach(
          (name, series) -> {
            out.append("# TYPE ").append(name).append(" gauge\n");
            series.forEach(
                (labels, samples) ->
                    samples.forEach(
                        (t, v) ->
                            out.append(name)
                                .append(labels)
                                .append(' ')
                                .append(format(v))
                                .append(' ')
                                .append(t)
                                .append('\n')));
          });
      out.append("# EOF\n");
      return out.toString();
    }

    private static String format(double v) {
      if (Double.isNaN(v)) {
        return "NaN";
      }
      if (Double.isInfinite(v)) {
        return v > 0 ? "+Inf" : "-Inf";
      }
      return Double.toString(v);
    }

    private static String labels(Map<String, String> labels) {
      if (labels.isEmpty()) {
        return "";
      }
      StringBuilder b = new StringBuilder("{");
      new TreeMap<>(labels)
          .forEach(
              (k, v) -> {
                if (b.length() > 1) {
                  b.append(',');
                }
                b.append(k)
                    .append("=\"")
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append('"');
              });
      return b.append('}').toString();
    }

    /**
     * Imports the samples and starts Prometheus; returns once it answers {@code /-/ready}.
     *
     * @throws IllegalStateException if a binary is missing or Prometheus does not become ready
     */
    public PrometheusServer start() {
      Optional<String> missing = unavailableReason();
      if (missing.isPresent()) {
        throw new IllegalStateException(missing.get());
      }
      Path dir;
      try {
        dir = Files.createTempDirectory("glidepath-prometheus");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path log = dir.resolve("prometheus.log");
        if (!families.isEmpty()) {
          Path input = dir.resolve("series.om");
          Files.writeString(input, openMetrics(), StandardCharsets.UTF_8);
          run(
              List.of(
                  find("promtool").orElseThrow().toString(),
                  "tsdb",
                  "create-blocks-from",
                  "openmetrics",
                  input.toString(),
                  data.toString()),
              dir.resolve("promtool.log"));
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1h\n", StandardCharsets.UTF_8);
        return launch(dir, data, config, log);
      } catch (IOException e) {
        deleteRecursively(dir);
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        deleteRecursively(dir);
        throw e;
      }
    }

    private static void run(List<String> command, Path log) throws IOException {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("promtool did not finish within 120 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IllegalStateException("interrupted while running promtool", e);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "promtool failed with exit code "
                + p.exitValue()
                + ": "
                + Files.readString(log, StandardCharsets.UTF_8));
      }
    }

    private static PrometheusServer launch(Path dir, Path data, Path config, Path log)
        throws IOException {
      IllegalStateException last = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        int port = freePort();
        Process p =
            new ProcessBuilder(
                    find("prometheus").orElseThrow().toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + data,
                    "--storage.tsdb.retention.time=100y",
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        URI uri = URI.create("http://127.0.0.1:" + port + "/");
        PrometheusServer server = new PrometheusServer(p, dir, uri, log);
        if (awaitReady(p, uri)) {
          return server;
        }
        server.stop();
        last =
            new IllegalStateException(
                "prometheus did not become ready on " + uri + ": " + server.log());
      }
      throw Objects.requireNonNull(last);
    }

    private static boolean awaitReady(Process p, URI uri) {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) {
          return false;
        }
        try {
          HttpResponse<Void> r =
              client.send(
                  HttpRequest.newBuilder(uri.resolve("-/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            return true;
          }
        } catch (IOException e) {
          // not listening yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
        try {
          // polling an external process: there is no event to wait for
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return false;
    }

    private static int freePort() throws IOException {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        return s.getLocalPort();
      }
    }
  }
}
