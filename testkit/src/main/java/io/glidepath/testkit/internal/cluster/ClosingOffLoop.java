package io.glidepath.testkit.internal.cluster;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs a watch listener's close callbacks off the server's event loop.
 *
 * <p>fabric8's mock (8.0.0) handles a closed watch on the Vert.x event loop by waiting up to a
 * minute for the watch's pending event sends, and a send in flight waits for its write, which only
 * that event loop can complete: the server stalls (answering nothing on that loop) for up to a
 * minute whenever a client closes a watch while an event is on its way. Handing {@code onClosed}
 * and {@code onFailure} to another thread lets the send finish and the loop carry on.
 */
final class ClosingOffLoop extends WebSocketListener {
  private static final ExecutorService CLOSER =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "embedded-cluster-watch-close");
            t.setDaemon(true);
            return t;
          });

  private final WebSocketListener delegate;
  private final WatchSockets open;

  ClosingOffLoop(WebSocketListener delegate, WatchSockets open) {
    this.delegate = delegate;
    this.open = open;
  }

  /**
   * Wraps the listener of a watch response; other responses are returned as they are. The watch's
   * socket is in {@code open} from its opening to its close.
   */
  static MockResponse wrap(MockResponse response, WatchSockets open) {
    WebSocketListener l = response.getWebSocketListener();
    return l == null || l instanceof ClosingOffLoop
        ? response
        : response.withWebSocketUpgrade(new ClosingOffLoop(l, open));
  }

  @Override
  public void onBeforeAccept(WebSocket webSocket, Response response) {
    delegate.onBeforeAccept(webSocket, response);
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    open.opened(webSocket);
    delegate.onOpen(webSocket, response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    delegate.onMessage(webSocket, text);
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    delegate.onMessage(webSocket, bytes);
  }

  @Override
  public void onMessage(WebSocket webSocket, byte[] bytes) {
    delegate.onMessage(webSocket, bytes);
  }

  @Override
  public void onPing(WebSocket webSocket, byte[] bytes) {
    delegate.onPing(webSocket, bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    delegate.onClosing(webSocket, code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    offLoop(webSocket, () -> delegate.onClosed(webSocket, code, reason));
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, Response response) {
    offLoop(webSocket, () -> delegate.onFailure(webSocket, t, response));
  }

  private void offLoop(WebSocket webSocket, Runnable callback) {
    open.closing(webSocket);
    CLOSER.execute(
        () -> {
          try {
            callback.run();
          } finally {
            open.closed();
          }
        });
  }
}
