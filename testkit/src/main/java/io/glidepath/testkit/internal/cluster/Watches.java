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
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * The cluster's watches: the events of every stored change, sent on each open watch of the change's
 * type whose namespace, name and selectors the object matches.
 *
 * <p>A watch that opens is first sent the events that came since its request, then every matching
 * object as it is stored, as {@code ADDED} (a watch starts from the current state whatever
 * resourceVersion it asks for: the cluster keeps no history of events). An event's message is
 * written once, from the stored JSON, for all the watches it goes to; each watch sends its own in
 * order on a thread of a shared pool, so a slow client holds up only its own watches, never the
 * write that caused the event.
 */
final class Watches {
  private static final ExecutorService SENDERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "embedded-cluster-watch-send");
            t.setDaemon(true);
            return t;
          });

  /** The stored objects of a type, as namespace/name (name alone when cluster-scoped) to JSON. */
  interface Store {
    Map<String, String> stored(ApiResource type);
  }

  private final Store store;
  private final Map<String, Set<Stream>> byType = new ConcurrentHashMap<>();

  Watches(Store store) {
    this.store = store;
  }

  private static String typeKey(ApiResource type) {
    return type.apiVersion() + "/" + type.kind();
  }

  /**
   * The answer to a watch request of {@code type}: its events from now on. {@code labels} and
   * {@code fields}: the request's selectors over an object's labels and the object.
   */
  MockResponse open(
      ApiResource type,
      RequestPath rp,
      Predicate<Map<String, String>> labels,
      Predicate<JsonNode> fields,
      boolean selective,
      Function<JsonNode, Map<String, String>> labelsOf) {
    Stream s =
        new Stream(
            typeKey(type),
            type,
            type.namespaced() ? rp.namespace() : "",
            rp.name(),
            selective ? o -> labels.test(labelsOf.apply(o)) && fields.test(o) : null);
    byType.computeIfAbsent(s.typeKey, k -> ConcurrentHashMap.newKeySet()).add(s);
    return new MockResponse().withWebSocketUpgrade(s);
  }

  /**
   * Sends the event of a stored change ({@code ADDED}, {@code MODIFIED} or {@code DELETED}) to the
   * watches of {@code type} that match the object; called after the store holds the change (a watch
   * opening meanwhile may then get it twice, never an older state after a newer one).
   */
  void publish(
      ApiResource type,
      String action,
      String namespace,
      String name,
      JsonNode object,
      String json) {
    Set<Stream> streams = byType.get(typeKey(type));
    if (streams == null || streams.isEmpty()) {
      return;
    }
    String message = null;
    synchronized (this) {
      for (Stream s : streams) {
        if (s.matches(namespace, name, object)) {
          if (message == null) {
            message = message(action, json);
          }
          s.offer(message);
        }
      }
    }
  }

  private static String message(String action, String json) {
    return "{\"type\":\"" + action + "\",\"object\":" + json + "}";
  }

  /** One watch: its filter, its socket once open, the messages waiting to be sent. */
  private final class Stream extends WebSocketListener {
    private final String typeKey;
    private final ApiResource type;
    private final String namespace; // "": every namespace
    private final String name; // "": every name
    private final Predicate<JsonNode> selected; // null: no selector
    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    // guarded by Watches.this until open; the messages before it wait in the queue unsent
    private volatile WebSocket socket;
    private volatile boolean closed;

    Stream(
        String typeKey,
        ApiResource type,
        String namespace,
        String name,
        Predicate<JsonNode> selected) {
      this.typeKey = typeKey;
      this.type = type;
      this.namespace = namespace;
      this.name = name;
      this.selected = selected;
    }

    boolean matches(String objectNamespace, String objectName, JsonNode object) {
      return (namespace.isEmpty() || namespace.equals(objectNamespace))
          && (name.isEmpty() || name.equals(objectName))
          && (selected == null || selected.test(object));
    }

    /** Queues a message; sends it once the watch is open. */
    void offer(String message) {
      if (closed) {
        return;
      }
      queue.add(message);
      if (socket != null) {
        drainLater();
      }
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      synchronized (Watches.this) {
        // the events since the request first, then the state now (at least as new as any of them)
        for (Map.Entry<String, String> e : store.stored(type).entrySet()) {
          String key = e.getKey();
          int slash = key.indexOf('/');
          String ns = slash < 0 ? "" : key.substring(0, slash);
          String n = slash < 0 ? key : key.substring(slash + 1);
          if ((namespace.isEmpty() || namespace.equals(ns)) && (name.isEmpty() || name.equals(n))) {
            if (selected == null || selected.test(Json.read(e.getValue()))) {
              queue.add(message("ADDED", e.getValue()));
            }
          }
        }
        socket = webSocket;
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
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      close();
      // answer the client's close (the socket's own thread must not wait for it)
      SENDERS.execute(() -> webSocket.close(code, reason));
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
