package io.glidepath.rollout.driver;

import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link RolloutListener} that POSTs a JSON event to a webhook: a Slack-compatible {@code text}
 * plus the structured fields ({@code namespace}, {@code rollout}, {@code event}, {@code at}, {@code
 * step}, {@code weight}, {@code message}).
 *
 * <pre>{@code
 * RolloutListener slack = WebhookNotifier.builder(URI.create(System.getenv("SLACK_WEBHOOK")))
 *     .events(EnumSet.of(RolloutEvent.Type.ABORTED, RolloutEvent.Type.PROMOTED))
 *     .build();
 * }</pre>
 *
 * <p>Sends asynchronously on the JDK {@link HttpClient} (the driver never waits for it); each
 * attempt times out after {@link Builder#timeout(Duration)} (default {@value
 * #DEFAULT_TIMEOUT_SECONDS} s) and a failed delivery (I/O error, timeout, 429 or 5xx) is retried up
 * to {@link Builder#maxAttempts(int)} times in total (default {@value #DEFAULT_MAX_ATTEMPTS}),
 * {@link Builder#backoff(Duration)} apart, doubling. By default it notifies aborts, promotions and
 * pauses. The URL is treated as a secret (Slack's carries a token): {@link #toString()} shows only
 * its host. Thread-safe.
 */
public final class WebhookNotifier implements RolloutListener {
  /** Default per-attempt timeout. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 5;

  /** Default attempts per event. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  private final URI url;
  private final Set<RolloutEvent.Type> events;
  private final Duration timeout;
  private final int maxAttempts;
  private final Duration backoff;
  private final HttpClient client;
  private final io.glidepath.analysis.AnalysisScheduler retries;
  private final AtomicInteger delivered = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();

  private WebhookNotifier(Builder b) {
    this.url = b.url;
    this.events = Set.copyOf(b.events);
    this.timeout = b.timeout;
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.client =
        b.client != null ? b.client : HttpClient.newBuilder().connectTimeout(b.timeout).build();
    this.retries = b.retries;
  }

  /** A notifier with the defaults. */
  public static WebhookNotifier of(URI url) {
    return builder(url).build();
  }

  public static Builder builder(URI url) {
    return new Builder(url);
  }

  @Override
  public void onEvent(RolloutEvent event) {
    if (events.contains(event.type())) {
      send(event);
    }
  }

  /**
   * Sends {@code event} now, whatever its type.
   *
   * @return completes with the HTTP status of the successful attempt, or exceptionally after the
   *     last failed one
   */
  public CompletableFuture<Integer> send(RolloutEvent event) {
    String body = Yaml.toJson(payload(event));
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    CompletableFuture<Integer> result = new CompletableFuture<>();
    attempt(request, 1, backoff, result);
    return result;
  }

  private void attempt(
      HttpRequest request, int n, Duration wait, CompletableFuture<Integer> result) {
    client
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              boolean retryable =
                  error != null || response.statusCode() == 429 || response.statusCode() >= 500;
              if (!retryable && response.statusCode() < 400) {
                delivered.incrementAndGet();
                result.complete(response.statusCode());
                return;
              }
              if (!retryable || n >= maxAttempts) {
                failed.incrementAndGet();
                result.completeExceptionally(
                    new IOException(
                        "webhook to "
                            + url.getHost()
                            + " failed after "
                            + n
                            + (n == 1 ? " attempt: " : " attempts: ")
                            + (error != null
                                ? error.getClass().getSimpleName()
                                : "HTTP " + response.statusCode())));
                return;
              }
              Runnable again = () -> attempt(request, n + 1, wait.multipliedBy(2), result);
              if (retries != null) {
                retries.schedule(wait, again);
              } else {
                CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(again);
              }
            });
  }

  /** The JSON body sent for {@code event}. */
  public static ObjectNode payload(RolloutEvent event) {
    ObjectNode o = Yaml.mapper().createObjectNode();
    o.put("text", text(event));
    o.put("namespace", event.namespace());
    o.put("rollout", event.rollout());
    o.put("event", event.type().name());
    o.put("at", event.at().toString());
    o.put("step", event.stepIndex());
    o.put("weight", event.weight());
    o.put("message", event.message());
    return o;
  }

  private static String text(RolloutEvent e) {
    String what =
        switch (e.type()) {
          case ABORTED -> ":rotating_light: Rollout " + e.rollout() + " rolled back";
          case PROMOTED -> ":white_check_mark: Rollout " + e.rollout() + " promoted";
          case PAUSED -> ":double_vertical_bar: Rollout " + e.rollout() + " paused";
          default -> "Rollout " + e.rollout() + ": " + e.type();
        };
    return what
        + " in "
        + e.namespace()
        + " at step "
        + e.stepIndex()
        + (e.message().isEmpty() ? "" : ": " + e.message());
  }

  /** Events delivered so far. */
  public int delivered() {
    return delivered.get();
  }

  /** Events given up on so far. */
  public int failed() {
    return failed.get();
  }

  @Override
  public String toString() {
    return "WebhookNotifier[" + url.getScheme() + "://" + url.getHost() + "/..., " + events + "]";
  }

  /** Builds a {@link WebhookNotifier}. Not thread-safe. */
  public static final class Builder {
    private final URI url;
    private Set<RolloutEvent.Type> events =
        EnumSet.of(RolloutEvent.Type.ABORTED, RolloutEvent.Type.PROMOTED, RolloutEvent.Type.PAUSED);
    private Duration timeout = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration backoff = Duration.ofSeconds(1);
    private HttpClient client;
    private io.glidepath.analysis.AnalysisScheduler retries;

    private Builder(URI url) {
      this.url = Objects.requireNonNull(url, "url");
      String scheme = url.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException("url must be http or https, but was " + scheme);
      }
    }

    /** The event types to send. */
    public Builder events(Set<RolloutEvent.Type> types) {
      this.events = EnumSet.copyOf(types);
      return this;
    }

    /** Per-attempt timeout; must be positive. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Attempts per event in total; must be >= 1. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, but was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** Wait before the first retry (doubling after); must not be negative. */
    public Builder backoff(Duration backoff) {
      if (backoff.isNegative()) {
        throw new IllegalArgumentException("backoff must not be negative, but was " + backoff);
      }
      this.backoff = backoff;
      return this;
    }

    /** The HTTP client to use (default: a new one with the timeout as connect timeout). */
    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Where retries wait (e.g. the driver's scheduler, so that tests drive them); default: the
     * JDK's delayed executor on the wall clock.
     */
    public Builder retryScheduler(io.glidepath.analysis.AnalysisScheduler scheduler) {
      this.retries = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    public WebhookNotifier build() {
      return new WebhookNotifier(this);
    }
  }
}
