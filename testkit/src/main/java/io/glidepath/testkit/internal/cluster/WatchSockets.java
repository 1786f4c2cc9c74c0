package io.glidepath.testkit.internal.cluster;

import io.fabric8.mockwebserver.http.WebSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's open watch sockets and the close callbacks still running for closed ones, so that
 * the cluster can let them finish before it stops the server they run on.
 */
final class WatchSockets {
  private final Set<WebSocket> open = ConcurrentHashMap.newKeySet();
  private int closing;

  void opened(WebSocket ws) {
    open.add(ws);
  }

  /** A watch closed; its close callback is about to run off the event loop. */
  void closing(WebSocket ws) {
    open.remove(ws);
    synchronized (this) {
      closing++;
    }
  }

  /** A close callback has finished. */
  synchronized void closed() {
    closing--;
    notifyAll();
  }

  List<WebSocket> open() {
    return List.copyOf(open);
  }

  /** Waits up to {@code millis} for every close callback that started to finish. */
  synchronized boolean awaitCallbacks(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (closing > 0) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }
}
