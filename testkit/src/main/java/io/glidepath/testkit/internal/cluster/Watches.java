package io.glidepath.testkit.internal.cluster;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * The cluster's watches: the events of every stored change, sent on each open watch of the change's
 * type whose namespace, name and selectors the object matches.
 *
 * <p>A watch is first sent every matching object as stored when it was asked for, as {@code ADDED},
 * then every change since (a watch starts from the current state whatever resourceVersion it asks
 * for: the cluster keeps no history of events). An event's message is written once, from the stored
 * JSON, for all the watches it goes to; each watch sends its own in order on a thread of a shared
 * pool, so a slow client holds up only its own watches, never the write that caused the event.
 *
 * <p>A watch's close callbacks never wait (the server's event loop runs them); the answer to a
 * client's close is sent from the pool. A watch whose upgrade never completes (its client went away
 * first) is dropped at its first event a minute after it was asked for.
 */
final class Watches {
  private static final ExecutorService SENDERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "embedded-cluster-watch-send");
            t.setDaemon(true);
            return t;
          });

  /**
   * The stored objects of a type: namespace/name (an empty namespace when cluster-scoped) to JSON.
   */
  interface Store {
    Map<String, String> stored(ApiResource type);
  }

  private static final long UPGRADE_TIMEOUT_NANOS =
      java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

  private final Store store;
  private final Map<String, Set<Stream>> byType = new ConcurrentHashMap<>();
  // the watches whose socket is open, for sendToWatches
  private final Set<Stream> opened = ConcurrentHashMap.newKeySet();
  // answers to clients' closes not yet sent, guarded by itself
  private final int[] closeAnswers = new int[1];

  Watches(Store store) {
    this.store = store;
  }

  private static String typeKey(ApiResource type) {
    return type.apiVersion() + "/" + type.kind();
  }

  /**
   * The answer to a watch request of {@code type} in {@code namespace} ("": every one) for {@code
   * name} ("": every one): the matching objects as stored now, then their changes. {@code
   * selected}: the request's label and field selectors over an object (null: none).
   */
  MockResponse open(ApiResource type, String namespace, String name, Predicate<JsonNode> selected) {
    Stream s = new Stream(typeKey(type), namespace, name, selected);
    synchronized (this) {
      // the objects as stored now, then every change from now on: nothing missed, nothing twice
      // (a change stored but not yet published comes again, as the same state)
      for (Map.Entry<String, String> e : store.stored(type).entrySet()) {
        String key = e.getKey();
        int slash = key.indexOf('/');
        if (s.concerns(key.substring(0, slash), key.substring(slash + 1))
            && (s.selected == null || s.selects(Json.read(e.getValue())))) {
          s.queue.add(message("ADDED", e.getValue()));
        }
      }
      byType.computeIfAbsent(s.typeKey, k -> ConcurrentHashMap.newKeySet()).add(s);
    }
    return new MockResponse().withWebSocketUpgrade(s);
  }

  /**
   * Sends the event of a stored change to the watches of {@code type} it concerns, as an API server
   * does: {@code MODIFIED} to those the object matched before and after the change, {@code DELETED}
   * (the object as it was) to those it matched only before, {@code ADDED} to those it matches only
   * now. {@code before}/{@code beforeJson}: the object as stored until now, null when created;
   * {@code after}/{@code afterJson}: as stored now, null when removed. Called after the store holds
   * the change (a watch opening meanwhile may then get it twice, never an older state after a newer
   * one).
   */
  void publish(
      ApiResource type,
      String namespace,
      String name,
      JsonNode before,
      String beforeJson,
      JsonNode after,
      String afterJson) {
    Set<Stream> streams = byType.get(typeKey(type));
    if (streams == null || streams.isEmpty()) {
      return;
    }
    String modified = null;
    String deleted = null;
    String added = null;
    JsonNode was = before;
    synchronized (this) {
      for (Stream s : streams) {
        if (!s.concerns(namespace, name)) {
          continue;
        }
        if (was == null && beforeJson != null && s.selected != null) {
          was = Json.read(beforeJson);
        }
        boolean wasSelected = beforeJson != null && s.selects(was);
        boolean is = afterJson != null && s.selects(after);
        if (wasSelected && is) {
          s.offer(modified = modified != null ? modified : message("MODIFIED", afterJson));
        } else if (wasSelected) {
          s.offer(deleted = deleted != null ? deleted : message("DELETED", beforeJson));
        } else if (is) {
          s.offer(added = added != null ? added : message("ADDED", afterJson));
        }
      }
    }
  }

  /** The sockets of the open watches. */
  java.util.List<WebSocket> sockets() {
    java.util.List<WebSocket> out = new java.util.ArrayList<>();
    for (Stream s : opened) {
      WebSocket ws = s.socket;
      if (ws != null) {
        out.add(ws);
      }
    }
    return out;
  }

  /** Waits up to {@code millis} for the answers to clients' closes to be sent. */
  boolean awaitCloseAnswers(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    synchronized (closeAnswers) {
      while (closeAnswers[0] > 0) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        closeAnswers.wait(left);
      }
      return true;
    }
  }

  private static String message(String action, String json) {
    return "{\"type\":\"" + action + "\",\"object\":" + json + "}";
  }

  /** One watch: its filter, its socket once open, the messages waiting to be sent. */
  private final class Stream extends WebSocketListener {
    private final String typeKey;
    private final String namespace; // "": every namespace
    private final String name; // "": every name
    private final Predicate<JsonNode> selected; // null: no selector
    private final long asked = System.nanoTime();
    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    // null until the watch is open; the messages before it wait in the queue
    private volatile WebSocket socket;
    private volatile boolean closed;

    Stream(String typeKey, String namespace, String name, Predicate<JsonNode> selected) {
      this.typeKey = typeKey;
      this.namespace = namespace;
      this.name = name;
      this.selected = selected;
    }

    /** Whether the watch is of the object's namespace and name. */
    boolean concerns(String objectNamespace, String objectName) {
      return (namespace.isEmpty() || namespace.equals(objectNamespace))
          && (name.isEmpty() || name.equals(objectName));
    }

    /** Whether the watch's selectors select {@code object}. */
    boolean selects(JsonNode object) {
      return selected == null || selected.test(object);
    }

    /** Queues a message; sends it once the watch is open. */
    void offer(String message) {
      if (closed) {
        return;
      }
      if (socket == null && System.nanoTime() - asked > UPGRADE_TIMEOUT_NANOS) {
        close(); // never opened: its client is gone
        return;
      }
      queue.add(message);
      if (socket != null) {
        drainLater();
      }
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      socket = webSocket;
      opened.add(this);
      if (closed) {
        opened.remove(this);
      }
      drainLater();
    }

    private void drainLater() {
      if (sending.compareAndSet(false, true)) {
        try {
          SENDERS.execute(this::drain);
        } catch (RuntimeException e) {
          sending.set(false);
          throw e;
        }
      }
    }

    /** Sends the queued messages in order; one drain at a time per watch. */
    private void drain() {
      try {
        WebSocket ws = socket;
        String m;
        while (!closed && (m = queue.poll()) != null) {
          boolean sent;
          try {
            sent = ws.send(m);
          } catch (RuntimeException e) {
            sent = false;
          }
          if (!sent) {
            close();
          }
        }
      } finally {
        sending.set(false);
      }
      if (!closed && !queue.isEmpty()) {
        drainLater();
      }
    }

    private void close() {
      closed = true;
      queue.clear();
      Set<Stream> streams = byType.get(typeKey);
      if (streams != null) {
        streams.remove(this);
      }
      opened.remove(this);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      close();
      // answer the client's close (the socket's own thread must not wait for it)
      synchronized (closeAnswers) {
        closeAnswers[0]++;
      }
      SENDERS.execute(
          () -> {
            try {
              webSocket.close(code, reason);
            } catch (RuntimeException e) {
              // the server is stopping: nothing left to answer
            } finally {
              synchronized (closeAnswers) {
                closeAnswers[0]--;
                closeAnswers.notifyAll();
              }
            }
          });
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      close();
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      close();
    }
  }
}
