package io.glidepath.testkit.internal.cluster;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.Set;
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
  private final Set<WebSocket> open;

  ClosingOffLoop(WebSocketListener delegate, Set<WebSocket> open) {
    this.delegate = delegate;
    this.open = open;
  }

  /**
   * Wraps the listener of a watch response; other responses are returned as they are. The watch's
   * socket is in {@code open} from its opening to its close.
   */
  static MockResponse wrap(MockResponse response, Set<WebSocket> open) {
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
    open.add(webSocket);
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
    open.remove(webSocket);
    CLOSER.execute(() -> delegate.onClosed(webSocket, code, reason));
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, Response response) {
    open.remove(webSocket);
    CLOSER.execute(() -> delegate.onFailure(webSocket, t, response));
  }
}
