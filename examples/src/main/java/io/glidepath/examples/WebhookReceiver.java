package io.glidepath.examples;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A local HTTP endpoint standing in for Slack or a chat webhook: it accepts POSTed notifications on
 * 127.0.0.1, keeps their bodies and hands each to a callback (the demo prints them).
 *
 * <p>Thread-safe.
 */
public final class WebhookReceiver implements AutoCloseable {
  private final HttpServer server;
  private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  /** Starts listening on a free port of 127.0.0.1; {@code onMessage} gets each body. */
  public static WebhookReceiver start(Consumer<String> onMessage) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext(
          "/",
          exchange -> {
            if (!"POST".equals(exchange.getRequestMethod())) {
              exchange.sendResponseHeaders(405, -1);
              exchange.close();
              return;
            }
            String body;
            try (InputStream in = exchange.getRequestBody()) {
              body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            synchronized (receiver.all) {
              receiver.all.add(body);
            }
            receiver.received.add(body);
            onMessage.accept(body);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
          });
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the webhook receiver", e);
    }
  }

  /** The URL to POST to. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/rollouts");
  }

  /** The next message not yet taken, waiting up to {@code timeout}. */
  public Optional<String> next(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** Every message received so far. */
  public List<String> messages() {
    synchronized (all) {
      return List.copyOf(all);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
