package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WebhookNotifierIT {
  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger failFirst = new AtomicInteger();
  private volatile boolean hang;

  private static final RolloutEvent ABORTED =
      new RolloutEvent(
          "production",
          "trade-service",
          RolloutEvent.Type.ABORTED,
          Instant.parse("2026-03-01T10:12:32Z"),
          6,
          0,
          "step 6 analysis Failed: success-rate [0.92]",
          Optional.empty(),
          Optional.empty());

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext(
        "/services/T000/B000/secret-token",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          if (hang) {
            try {
              Thread.sleep(2_000); // the server side of a timeout, not logic under test
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          if (failFirst.getAndDecrement() > 0) {
            exchange.sendResponseHeaders(503, -1);
          } else {
            bodies.add(body);
            exchange.sendResponseHeaders(200, -1);
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url() {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T000/B000/secret-token");
  }

  @Test
  void postsASlackCompatibleJsonEvent() throws Exception {
    WebhookNotifier notifier = WebhookNotifier.of(url());
    assertThat(notifier.send(ABORTED).get(10, TimeUnit.SECONDS)).isEqualTo(200);
    JsonNode json = Yaml.mapper().readTree(bodies.get(0));
    assertThat(json.path("text").asString())
        .isEqualTo(
            ":rotating_light: Rollout trade-service rolled back in production at step 6: step 6"
                + " analysis Failed: success-rate [0.92]");
    assertThat(json.path("event").asString()).isEqualTo("ABORTED");
    assertThat(json.path("weight").asInt()).isZero();
  }

  @Test
  void retriesServerErrorsWithBackoff() throws Exception {
    failFirst.set(2);
    WebhookNotifier notifier =
        WebhookNotifier.builder(url()).backoff(Duration.ofMillis(10)).maxAttempts(3).build();
    assertThat(notifier.send(ABORTED).get(10, TimeUnit.SECONDS)).isEqualTo(200);
    assertThat(bodies).hasSize(1);
    assertThat(notifier.delivered()).isEqualTo(1);
  }

  @Test
  void retriesWaitOnTheInjectedScheduler() throws Exception {
    failFirst.set(1);
    io.glidepath.analysis.VirtualScheduler scheduler =
        io.glidepath.analysis.VirtualScheduler.at(Instant.EPOCH);
    WebhookNotifier notifier =
        WebhookNotifier.builder(url())
            .backoff(Duration.ofMinutes(10))
            .retryScheduler(scheduler)
            .build();
    var delivery = notifier.send(ABORTED);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (scheduler.pending() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    // the first attempt failed; the retry waits ten virtual minutes, not ten real ones
    assertThat(bodies).isEmpty();
    scheduler.advance(Duration.ofMinutes(10));
    assertThat(delivery.get(10, TimeUnit.SECONDS)).isEqualTo(200);
    assertThat(bodies).hasSize(1);
  }

  @Test
  void givesUpAfterTheLastAttemptTimesOut() {
    hang = true;
    WebhookNotifier notifier =
        WebhookNotifier.builder(url())
            .timeout(Duration.ofMillis(200))
            .backoff(Duration.ofMillis(10))
            .maxAttempts(2)
            .build();
    assertThatThrownBy(() -> notifier.send(ABORTED).get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("failed after 2 attempts")
        .hasMessageNotContaining("secret-token");
    assertThat(notifier.failed()).isEqualTo(1);
  }

  @Test
  void onlyTheChosenEventsAreSentAndTheUrlStaysSecret() throws Exception {
    WebhookNotifier notifier = WebhookNotifier.of(url());
    assertThat(notifier.toString()).doesNotContain("secret-token");
    notifier.onEvent(
        new RolloutEvent(
            "production",
            "trade-service",
            RolloutEvent.Type.STEP_STARTED,
            Instant.EPOCH,
            1,
            10,
            "",
            Optional.empty(),
            Optional.empty()));
    assertThat(bodies).isEmpty();
  }
}
