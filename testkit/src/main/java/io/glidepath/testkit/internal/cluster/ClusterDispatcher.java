package io.glidepath.testkit.internal.cluster;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.zjsonpatch.JsonPatch;
import io.glidepath.core.resource.JsonMergePatch;
import io.glidepath.testkit.cluster.Fault;
import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The request handler behind {@code EmbeddedCluster}: fabric8's mock web server and its CRUD
 * dispatcher's request entry, with Glidepath's own store, reads, writes, watches ({@link Watches}),
 * discovery, faults and request log.
 */
public final class ClusterDispatcher extends KubernetesCrudDispatcher {
  private static final String JSON = "application/json";

  private final ApiResources resources;
  private final Clock clock;
  private final Random random;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final List<FaultSlot> faults = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<RecordedCall> log = new ConcurrentLinkedQueue<>();
  private volatile String serverAddress = "127.0.0.1:0";
  private volatile java.util.function.BiConsumer<ApiResource, String> changes = (t, k) -> {};

  private record FaultSlot(Fault fault, AtomicInteger hits) {}

  /** Creates a dispatcher serving {@code resources}; {@code serverAddress} is host:port. */
  public ClusterDispatcher(ApiResources resources, Clock clock, long seed) {
    this.resources = resources;
    this.clock = clock;
    this.random = new Random(seed);
    for (ApiResource r : resources.all()) {
      if (r.custom()) {
        registerWithStore(r);
      }
    }
  }

  private void registerWithStore(ApiResource r) {
    expectCustomResource(
        new CustomResourceDefinitionContext.Builder()
            .withGroup(r.group())
            .withVersion(r.version())
            .withKind(r.kind())
            .withPlural(r.plural())
            .withScope(r.namespaced() ? "Namespaced" : "Cluster")
            .withStatusSubresource(true)
            .build());
  }

  /**
   * Tells {@code listener} the type and {@code namespace/name} of every object stored or removed
   * (not dry runs), on the writing thread, after the change: the simulated controller's feed.
   */
  public void onChange(java.util.function.BiConsumer<ApiResource, String> listener) {
    this.changes = java.util.Objects.requireNonNull(listener, "listener");
  }

  /** Sets the host:port that discovery reports, once the server listens. */
  public void serverAddress(String hostPort) {
    this.serverAddress = hostPort;
  }

  /** The served types. */
  public ApiResources resources() {
    return resources;
  }

  /** Registers a custom resource type for storage and discovery. */
  public void addCustomResource(ApiResource r) {
    resources.add(r);
    registerWithStore(r);
  }

  // ---------------------------------------------------------------- faults and log

  /** Adds a fault. */
  public void inject(Fault fault) {
    faults.add(new FaultSlot(fault, new AtomicInteger()));
  }

  /** Removes every fault. */
  public void clearFaults() {
    faults.clear();
  }

  /** Sends {@code message} as it is on every open watch; returns how many were open. */
  public int sendToWatches(String message) {
    List<WebSocket> open = watches.sockets();
    open.forEach(ws -> ws.send(message));
    return open.size();
  }

  /**
   * Waits up to {@code millis} for the answers to the closes of watches their clients closed; they
   * are sent on the server's sockets and must be before it stops.
   */
  public boolean awaitWatchCallbacks(long millis) throws InterruptedException {
    return watches.awaitCloseAnswers(millis);
  }

  /** The request log, oldest first. */
  public List<RecordedCall> requests() {
    return List.copyOf(log);
  }

  /** Empties the request log. */
  public void clearRequests() {
    log.clear();
  }

  // ---------------------------------------------------------------- entry point

  private volatile Runnable afterEachRequest = () -> {};

  /** Runs {@code hook} after each request is answered (on the server's thread; must be quick). */
  public void afterEachRequest(Runnable hook) {
    this.afterEachRequest = hook;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    try {
      return answer(request);
    } finally {
      afterEachRequest.run();
    }
  }

  private MockResponse answer(RecordedRequest request) {
    Instant at = clock.instant();
    RequestPath rp = RequestPath.parse(request.getPath());
    String method = request.getMethod();
    String body = request.getBody() == null ? "" : nullToEmpty(request.getUtf8Body());
    String contentType = nullToEmpty(request.getHeader("Content-Type"));
    String userAgent = nullToEmpty(request.getHeader("User-Agent"));
    Optional<ApiResource> type =
        rp.resourcePath() && !rp.plural().isEmpty()
            ? resources.byPlural(rp.group(), rp.version(), rp.plural())
            : Optional.empty();
    Verb verb = classify(method, rp, contentType, type.isPresent());
    String kind = type.map(ApiResource::kind).orElse("");
    MockResponse response;
    if (verb == Verb.DISCOVERY) {
      response = discovery(rp);
    } else if (type.isEmpty()
        || (rp.subresource().equals("status") && !type.get().statusSubresource())) {
      // as kube-apiserver: no route for a subresource the type does not have
      response = status(404, "NotFound", "the server could not find the requested resource");
    } else {
      response =
          withFaults(verb, kind, userAgent, () -> handle(verb, type.get(), rp, body, request));
    }
    log.add(
        new RecordedCall(
            at,
            verb,
            method,
            request.getPath(),
            kind,
            rp.namespace(),
            rp.name(),
            rp.dryRun(),
            response.code(),
            rp.param("fieldManager").orElse(""),
            body,
            userAgent));
    return response;
  }

  private interface Handler {
    MockResponse run();
  }

  private MockResponse withFaults(Verb verb, String kind, String userAgent, Handler handler) {
    Duration latency = Duration.ZERO;
    for (FaultSlot slot : faults) {
      Fault f = slot.fault();
      if (!f.matches(verb, kind, userAgent)) {
        continue;
      }
      boolean hit;
      synchronized (random) {
        hit = random.nextDouble() < f.rate();
      }
      if (!hit) {
        continue;
      }
      if (f.limit() > 0 && slot.hits().incrementAndGet() > f.limit()) {
        continue;
      }
      switch (f.effect()) {
        case LATENCY -> latency = latency.plus(f.delay());
        case TIMEOUT -> {
          return status(504, "Timeout", "injected timeout").setBodyDelay(f.delay().plus(latency));
        }
        case STATUS -> {
          MockResponse r = status(f.status(), reasonOf(f.status()), "injected fault");
          if (f.status() == 429) {
            r.setHeader("Retry-After", "1");
          }
          return latency.isZero() ? r : r.setBodyDelay(latency);
        }
      }
    }
    MockResponse r = handler.run();
    return latency.isZero() || r.getWebSocketListener() != null ? r : r.setBodyDelay(latency);
  }

  private static String reasonOf(int status) {
    return switch (status) {
      case 400 -> "BadRequest";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 409 -> "Conflict";
      case 410 -> "Expired";
      case 422 -> "Invalid";
      case 429 -> "TooManyRequests";
      case 503 -> "ServiceUnavailable";
      case 504 -> "Timeout";
      default -> "InternalError";
    };
  }

  private static Verb classify(String method, RequestPath rp, String contentType, boolean typed) {
    if (!typed) {
      return rp.resourcePath() && !rp.plural().isEmpty() ? Verb.GET : Verb.DISCOVERY;
    }
    return switch (method) {
      case "GET" -> {
        if ("true".equals(rp.query().get("watch"))) {
          yield Verb.WATCH;
        }
        yield rp.name().isEmpty() ? Verb.LIST : Verb.GET;
      }
      case "POST" -> Verb.CREATE;
      case "PUT" -> Verb.UPDATE;
      case "PATCH" -> contentType.startsWith("application/apply-patch") ? Verb.APPLY : Verb.PATCH;
      case "DELETE" -> Verb.DELETE;
      default -> Verb.GET;
    };
  }

  private MockResponse handle(
      Verb verb, ApiResource type, RequestPath rp, String body, RecordedRequest request) {
    try {
      return switch (verb) {
        case GET -> get(type, rp);
        case LIST -> list(type, rp);
        case WATCH -> watch(type, rp);
        case CREATE ->
            rp.subresource().equals("eviction") && type.plural().equals("pods")
                ? locked(() -> evict(type, rp))
                : locked(() -> create(type, rp, body, request));
        case UPDATE -> locked(() -> update(type, rp, body, request));
        case PATCH -> locked(() -> patch(type, rp, body, request));
        case APPLY -> locked(() -> apply(type, rp, body));
        case DELETE -> locked(() -> delete(type, rp, body));
        case DISCOVERY -> discovery(rp);
      };
    } catch (ApiError e) {
      return status(e.code, e.reason, e.getMessage(), e.details);
    } catch (RuntimeException e) {
      return status(500, "InternalError", "embedded cluster: " + e);
    }
  }

  private MockResponse locked(Handler h) {
    writeLock.lock();
    try {
      return h.run();
    } finally {
      writeLock.unlock();
    }
  }

  /** Runs {@code action} holding the write lock (used by the simulated controller). */
  public void withWriteLock(Runnable action) {
    writeLock.lock();
    try {
      action.run();
    } finally {
      writeLock.unlock();
    }
  }

  /** An error answered as a Kubernetes {@code Status}. */
  static final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;
    final String reason;
    final transient ObjectNode details;

    ApiError(int code, String reason, String message) {
      this(code, reason, message, null);
    }

    ApiError(int code, String reason, String message, ObjectNode details) {
      super(message);
      this.code = code;
      this.reason = reason;
      this.details = details;
    }
  }

  // ---------------------------------------------------------------- reads

  /** The stored object, or null. */
  public ObjectNode current(ApiResource type, String namespace, String name) {
    if (type.namespaced() && namespace.isEmpty()) {
      return null;
    }
    String stored = byType(type).get(namespace + "/" + name);
    return stored == null ? null : (ObjectNode) Json.read(stored);
  }

  /** Every stored object of {@code type}, in every namespace, ordered by namespace and name. */
  public List<ObjectNode> objects(ApiResource type) {
    return objects(type, null);
  }

  /** The stored objects of {@code type} whose JSON contains {@code text} (all when null). */
  private List<ObjectNode> objects(ApiResource type, String text) {
    List<ObjectNode> out = new ArrayList<>();
    for (String stored : byType(type).values()) {
      if (text == null || stored.contains(text)) {
        out.add((ObjectNode) Json.read(stored));
      }
    }
    return out;
  }

  /**
   * The objects as stored (compact JSON), by type and then by namespace/name: lookups here are
   * O(log n) where the CRUD mock's own map is scanned linearly.
   */
  private final Map<String, ConcurrentSkipListMap<String, String>> index =
      new ConcurrentHashMap<>();

  private final Watches watches = new Watches(this::byType);

  private ConcurrentSkipListMap<String, String> byType(ApiResource type) {
    return index.computeIfAbsent(
        type.apiVersion() + "/" + type.kind(), k -> new ConcurrentSkipListMap<>());
  }

  private MockResponse get(ApiResource type, RequestPath rp) {
    if (type.namespaced() && rp.namespace().isEmpty()) {
      throw notFound(type, rp.name());
    }
    String stored = byType(type).get(rp.namespace() + "/" + rp.name());
    if (stored == null) {
      throw notFound(type, rp.name());
    }
    return json(200, stored); // stored compact JSON: no parse, no write
  }

  private MockResponse list(ApiResource type, RequestPath rp) {
    Predicate<Map<String, String>> labels =
        LabelSelector.parse(rp.query().getOrDefault("labelSelector", ""));
    Predicate<JsonNode> fields = fieldSelector(rp.query().getOrDefault("fieldSelector", ""));
    ArrayNode items = Json.object().arrayNode();
    for (ObjectNode o : objects(type)) {
      if (type.namespaced()
          && !rp.namespace().isEmpty()
          && !rp.namespace().equals(Json.text(o.path("metadata"), "namespace"))) {
        continue;
      }
      if (labels.test(labelsOf(o)) && fields.test(o)) {
        items.add(o);
      }
    }
    ObjectNode list = Json.object();
    list.put("apiVersion", type.apiVersion());
    list.put("kind", type.kind() + "List");
    list.putObject("metadata").put("resourceVersion", String.valueOf(currentResourceVersion()));
    list.set("items", items);
    return json(200, list);
  }

  private MockResponse watch(ApiResource type, RequestPath rp) {
    String labels = rp.query().getOrDefault("labelSelector", "");
    String fields = rp.query().getOrDefault("fieldSelector", "");
    Predicate<Map<String, String>> byLabels = LabelSelector.parse(labels);
    Predicate<JsonNode> byFields = fieldSelector(fields);
    return watches.open(
        type,
        type.namespaced() ? rp.namespace() : "",
        rp.name(),
        labels.isBlank() && fields.isBlank()
            ? null
            : o -> byLabels.test(labelsOf(o)) && byFields.test(o));
  }

  private long currentResourceVersion() {
    return lastVersion.get();
  }

  private final AtomicLong lastVersion = new AtomicLong(1);

  private long nextResourceVersion() {
    long v = requestResourceVersion();
    lastVersion.accumulateAndGet(v, Math::max);
    return v;
  }

  private static Map<String, String> labelsOf(JsonNode o) {
    Map<String, String> labels = new HashMap<>();
    JsonNode l = o.path("metadata").get("labels");
    if (l != null && l.isObject()) {
      l.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
    }
    return labels;
  }

  private static Predicate<JsonNode> fieldSelector(String selector) {
    Predicate<JsonNode> p = o -> true;
    for (String term : selector.split(",")) {
      if (term.isBlank()) {
        continue;
      }
      boolean negate = term.contains("!=");
      String[] kv = term.split("!=|==|=", 2);
      if (kv.length != 2) {
        continue;
      }
      String field = kv[0].trim();
      String value = kv[1].trim();
      Predicate<JsonNode> t =
          o -> {
            JsonNode n = o;
            for (String part : field.split("\\.")) {
              n = n == null ? null : n.get(part);
            }
            String actual = n == null || n.isNull() ? "" : n.asString();
            return actual.equals(value) != negate;
          };
      p = p.and(t);
    }
    return p;
  }

  // ---------------------------------------------------------------- writes

  private String manager(RequestPath rp, RecordedRequest request) {
    Optional<String> m = rp.param("fieldManager");
    if (m.isPresent()) {
      return m.get();
    }
    String ua = request == null ? null : request.getHeader("User-Agent");
    if (ua == null || ua.isBlank()) {
      return "unknown";
    }
    int slash = ua.indexOf('/');
    return slash > 0 ? ua.substring(0, slash) : ua.trim();
  }

  private MockResponse create(
      ApiResource type, RequestPath rp, String body, RecordedRequest request) {
    ObjectNode obj = parseObject(body);
    checkType(type, obj);
    ObjectNode meta = Json.metadata(obj);
    if (Json.text(meta, "name").isEmpty()) {
      String generate = Json.text(meta, "generateName");
      if (generate.isEmpty()) {
        throw new ApiError(422, "Invalid", "metadata.name: Required value: name is required");
      }
      meta.put("name", generate + randomSuffix());
    }
    String namespace = namespaceFor(type, rp, meta);
    String name = Json.text(meta, "name");
    if (current(type, namespace, name) != null) {
      throw new ApiError(409, "AlreadyExists", type.plural() + " \"" + name + "\" already exists");
    }
    requireNamespace(type, namespace);
    if (type.statusSubresource()) {
      // set through /status only; a CRD without the subresource stores the status it is sent
      obj.remove("status");
    }
    ManagedFields mf = ManagedFields.of(null);
    mf.recordUpdate(
        manager(rp, request), FieldPaths.leaves(obj), obj, type.apiVersion(), clock.instant());
    mf.writeTo(obj);
    return json(201, storeWritten(type, null, obj, rp.dryRun()).json());
  }

  private MockResponse update(
      ApiResource type, RequestPath rp, String body, RecordedRequest request) {
    ObjectNode current = current(type, rp.namespace(), rp.name());
    if (current == null) {
      throw notFound(type, rp.name());
    }
    ObjectNode obj = parseObject(body);
    checkType(type, obj);
    checkName(type, rp, obj);
    checkResourceVersion(type, current, obj);
    ObjectNode next = withSubresourceRules(type, rp, current, obj);
    recordUpdate(type, rp, request, current, next);
    return json(200, storeWritten(type, current, next, rp.dryRun()).json());
  }

  private MockResponse patch(
      ApiResource type, RequestPath rp, String body, RecordedRequest request) {
    ObjectNode current = current(type, rp.namespace(), rp.name());
    if (current == null) {
      throw notFound(type, rp.name());
    }
    String contentType = nullToEmpty(request.getHeader("Content-Type"));
    JsonNode patch = parse(body);
    JsonNode patched;
    if (contentType.startsWith("application/merge-patch+json")) {
      patched = JsonMergePatch.apply(current, patch);
    } else if (contentType.startsWith("application/strategic-merge-patch+json")) {
      patched = StructuredMerge.merge(current, patch, null, true);
    } else if (contentType.startsWith("application/json-patch+json")
        || contentType.startsWith(JSON)) {
      try {
        patched = JsonPatch.apply(patch, current);
      } catch (RuntimeException e) {
        throw new ApiError(
            422, "Invalid", "the JSON patch could not be applied: " + e.getMessage());
      }
    } else {
      throw new ApiError(415, "UnsupportedMediaType", "unsupported patch type " + contentType);
    }
    if (!(patched instanceof ObjectNode obj)) {
      throw new ApiError(422, "Invalid", "the patch did not produce an object");
    }
    checkType(type, obj);
    checkName(type, rp, obj);
    checkResourceVersion(type, current, obj);
    ObjectNode next = withSubresourceRules(type, rp, current, obj);
    recordUpdate(type, rp, request, current, next);
    return json(200, storeWritten(type, current, next, rp.dryRun()).json());
  }

  private void recordUpdate(
      ApiResource type,
      RequestPath rp,
      RecordedRequest request,
      ObjectNode current,
      ObjectNode next) {
    Set<List<String>> changed = new LinkedHashSet<>();
    for (List<String> p : FieldPaths.leaves(next)) {
      JsonNode before = FieldPaths.resolve(current, p);
      if (before == null || !before.equals(FieldPaths.resolve(next, p))) {
        changed.add(p);
      }
    }
    ManagedFields mf = ManagedFields.of(current);
    mf.recordUpdate(manager(rp, request), changed, next, type.apiVersion(), clock.instant());
    mf.writeTo(next);
  }

  /**
   * For a type with a status subresource, main-resource writes keep the stored status and status
   * writes change only the status; without one, a write to the object writes its status too.
   */
  private static ObjectNode withSubresourceRules(
      ApiResource type, RequestPath rp, ObjectNode current, ObjectNode obj) {
    if (!type.statusSubresource()) {
      return obj.deepCopy();
    }
    if (rp.subresource().equals("status")) {
      ObjectNode next = current.deepCopy();
      JsonNode status = obj.get("status");
      if (status == null || status.isNull()) {
        next.remove("status");
      } else {
        next.set("status", status.deepCopy());
      }
      return next;
    }
    ObjectNode next = obj.deepCopy();
    JsonNode status = current.get("status");
    if (status == null) {
      next.remove("status");
    } else {
      next.set("status", status.deepCopy());
    }
    return next;
  }

  private MockResponse apply(ApiResource type, RequestPath rp, String body) {
    String manager =
        rp.param("fieldManager")
            .orElseThrow(
                () ->
                    new ApiError(
                        422, "Invalid", "fieldManager: Required value: is required for apply"));
    boolean force = "true".equals(rp.query().get("force"));
    ObjectNode applied = parseObject(body);
    checkType(type, applied);
    checkName(type, rp, applied);
    ObjectNode current = current(type, rp.namespace(), rp.name());
    if (current != null) {
      // as the API server: a resourceVersion in the applied object is a precondition
      checkResourceVersion(type, current, applied);
    }
    if (type.statusSubresource()) {
      applied.remove("status");
    }
    Json.metadata(applied).remove("managedFields");
    Json.metadata(applied).remove("resourceVersion");
    Set<List<String>> applying = FieldPaths.leaves(applied);
    ManagedFields mf = ManagedFields.of(current);

    Map<List<String>, String> conflicts = new java.util.LinkedHashMap<>();
    if (current != null) {
      for (ManagedFields.Entry e : mf.entries()) {
        if (e.manager.equals(manager)) {
          continue;
        }
        for (List<String> p : applying) {
          if (e.fields.contains(p) && p.get(p.size() - 1).startsWith("f:")) {
            JsonNode live = FieldPaths.resolve(current, p);
            if (live != null && !live.equals(FieldPaths.resolve(applied, p))) {
              conflicts.putIfAbsent(p, e.manager);
            }
          }
        }
      }
    }
    if (!conflicts.isEmpty() && !force) {
      throw conflict(type, rp.name(), conflicts);
    }
    if (force) {
      for (ManagedFields.Entry e : mf.entries()) {
        if (!e.manager.equals(manager)) {
          e.fields.removeAll(conflicts.keySet());
        }
      }
    }

    ObjectNode base;
    if (current == null) {
      requireNamespace(type, rp.namespace());
      base = Json.object();
      base.put("apiVersion", type.apiVersion());
      base.put("kind", type.kind());
      ObjectNode meta = base.putObject("metadata");
      meta.put("name", rp.name());
      if (type.namespaced()) {
        meta.put("namespace", rp.namespace());
      }
    } else {
      base = current.deepCopy();
    }
    ObjectNode merged = (ObjectNode) StructuredMerge.merge(base, applied, null, false);
    Set<List<String>> previously = mf.owned(manager, "Apply");
    Set<List<String>> others = mf.ownedByOthers(manager, "Apply");
    for (List<String> p : previously) {
      if (!applying.contains(p) && !ownedAtOrBelow(others, p)) {
        FieldPaths.remove(merged, p);
      }
    }
    ManagedFields.Entry mine = mf.entry(manager, "Apply", type.apiVersion(), clock.instant());
    mine.fields.clear();
    mine.fields.addAll(applying);
    mf.dropMissing(merged);
    mf.writeTo(merged);
    if (current != null && type.statusSubresource()) {
      JsonNode status = current.get("status");
      if (status != null) {
        merged.set("status", status.deepCopy());
      }
    }
    return json(
        current == null ? 201 : 200, storeWritten(type, current, merged, rp.dryRun()).json());
  }

  private static boolean ownedAtOrBelow(Set<List<String>> owned, List<String> path) {
    for (List<String> p : owned) {
      if (p.size() >= path.size() && p.subList(0, path.size()).equals(path)) {
        return true;
      }
    }
    return false;
  }

  private ApiError conflict(ApiResource type, String name, Map<List<String>, String> conflicts) {
    StringBuilder msg =
        new StringBuilder("Apply failed with ")
            .append(conflicts.size())
            .append(conflicts.size() == 1 ? " conflict:" : " conflicts:");
    ObjectNode details = Json.object();
    details.put("name", name);
    details.put("group", type.group());
    details.put("kind", type.plural());
    ArrayNode causes = details.putArray("causes");
    conflicts.forEach(
        (p, owner) -> {
          String field = FieldPaths.display(p);
          msg.append(" conflict with \"")
              .append(owner)
              .append("\" using ")
              .append(type.apiVersion())
              .append(": ")
              .append(field)
              .append(';');
          ObjectNode c = causes.addObject();
          c.put("type", "FieldManagerConflict");
          c.put("message", "conflict with \"" + owner + "\" using " + type.apiVersion());
          c.put("field", field);
        });
    msg.setLength(msg.length() - 1);
    return new ApiError(409, "Conflict", msg.toString(), details);
  }

  /**
   * The Eviction subresource of a pod: deletes it (the embedded cluster has no PodDisruptionBudgets
   * to refuse an eviction) and answers a Success Status, as kube-apiserver.
   */
  private MockResponse evict(ApiResource type, RequestPath rp) {
    ObjectNode current = current(type, rp.namespace(), rp.name());
    if (current == null) {
      throw notFound(type, rp.name());
    }
    deleteOne(type, current, "", rp.dryRun());
    ObjectNode status = Json.object();
    status.put("apiVersion", "v1");
    status.put("kind", "Status");
    status.put("status", "Success");
    return json(201, status);
  }

  private MockResponse delete(ApiResource type, RequestPath rp, String body) {
    String policy = rp.query().getOrDefault("propagationPolicy", "");
    JsonNode options = body.isBlank() ? Json.object() : parse(body);
    if (!Json.text(options, "propagationPolicy").isEmpty()) {
      policy = Json.text(options, "propagationPolicy");
    }
    if (rp.name().isEmpty()) {
      Predicate<Map<String, String>> labels =
          LabelSelector.parse(rp.query().getOrDefault("labelSelector", ""));
      ArrayNode deleted = Json.object().arrayNode();
      for (ObjectNode o : objects(type)) {
        String ns = Json.text(o.path("metadata"), "namespace");
        if ((rp.namespace().isEmpty() || rp.namespace().equals(ns)) && labels.test(labelsOf(o))) {
          deleted.add(deleteOne(type, o, policy, rp.dryRun()));
        }
      }
      ObjectNode list = Json.object();
      list.put("apiVersion", type.apiVersion());
      list.put("kind", type.kind() + "List");
      list.set("items", deleted);
      return json(200, list);
    }
    ObjectNode current = current(type, rp.namespace(), rp.name());
    if (current == null) {
      throw notFound(type, rp.name());
    }
    checkPreconditions(type, current, options.path("preconditions"));
    return json(200, deleteOne(type, current, policy, rp.dryRun()));
  }

  /** As the API server: DeleteOptions' preconditions (uid, resourceVersion) must match. */
  private static void checkPreconditions(ApiResource type, ObjectNode current, JsonNode pre) {
    for (String[] field : new String[][] {{"uid", "UID"}, {"resourceVersion", "ResourceVersion"}}) {
      String wanted = Json.text(pre, field[0]);
      String actual = Json.text(current.path("metadata"), field[0]);
      if (!wanted.isEmpty() && !wanted.equals(actual)) {
        throw new ApiError(
            409,
            "Conflict",
            "Operation cannot be fulfilled on "
                + type.plural()
                + " \""
                + Json.text(current.path("metadata"), "name")
                + "\": Precondition failed: "
                + field[1]
                + " in precondition: "
                + wanted
                + ", "
                + field[1]
                + " in object meta: "
                + actual);
      }
    }
  }

  private JsonNode deleteOne(ApiResource type, ObjectNode current, String policy, boolean dryRun) {
    if (dryRun) {
      return current;
    }
    JsonNode finalizers = current.path("metadata").get("finalizers");
    if (finalizers != null && finalizers.isArray() && !finalizers.isEmpty()) {
      if (current.path("metadata").get("deletionTimestamp") == null) {
        ObjectNode next = current.deepCopy();
        Json.metadata(next).put("deletionTimestamp", clock.instant().toString());
        return store(type, current, next, false);
      }
      return current;
    }
    remove(type, current);
    collectGarbage(Json.text(current.path("metadata"), "uid"), policy);
    if (type.kind().equals("Namespace")) {
      String ns = Json.text(current.path("metadata"), "name");
      for (ApiResource t : resources.all()) {
        if (t.namespaced()) {
          for (ObjectNode o : objects(t)) {
            if (ns.equals(Json.text(o.path("metadata"), "namespace"))) {
              remove(t, o);
            }
          }
        }
      }
    }
    return current;
  }

  /** Deletes (or orphans) the dependents of {@code ownerUid}, depth first. */
  private void collectGarbage(String ownerUid, String policy) {
    if (ownerUid.isEmpty()) {
      return;
    }
    for (ApiResource t : resources.all()) {
      for (ObjectNode o : objects(t, ownerUid)) {
        JsonNode refs = o.path("metadata").get("ownerReferences");
        if (refs == null || !refs.isArray()) {
          continue;
        }
        boolean owned = false;
        for (JsonNode ref : refs) {
          owned |= ownerUid.equals(Json.text(ref, "uid"));
        }
        if (!owned) {
          continue;
        }
        if (policy.equals("Orphan")) {
          ObjectNode next = o.deepCopy();
          ArrayNode kept = next.arrayNode();
          for (JsonNode ref : refs) {
            if (!ownerUid.equals(Json.text(ref, "uid"))) {
              kept.add(ref);
            }
          }
          if (kept.isEmpty()) {
            Json.metadata(next).remove("ownerReferences");
          } else {
            Json.metadata(next).set("ownerReferences", kept);
          }
          store(t, o, next, false);
        } else {
          deleteOne(t, o, policy, false);
        }
      }
    }
  }

  // ---------------------------------------------------------------- storage primitives

  /**
   * Stores {@code next} (replacing {@code current} when not null), filling in server-owned
   * metadata; returns what was (or, for a dry run, would have been) stored.
   */
  public ObjectNode store(ApiResource type, ObjectNode current, ObjectNode next, boolean dryRun) {
    return storeWritten(type, current, next, dryRun).object();
  }

  /**
   * What {@link #store} stored (or would have), with its JSON, written once for store and answer.
   */
  private record Written(ObjectNode object, String json) {}

  private Written storeWritten(
      ApiResource type, ObjectNode current, ObjectNode next, boolean dryRun) {
    ObjectNode meta = Json.metadata(next);
    next.put("apiVersion", type.apiVersion());
    next.put("kind", type.kind());
    if (current == null) {
      meta.put("uid", randomUid());
      meta.put("creationTimestamp", clock.instant().toString());
      meta.put("generation", 1);
    } else {
      JsonNode cm = current.path("metadata");
      for (String f : List.of("uid", "creationTimestamp", "name", "namespace")) {
        if (cm.get(f) != null) {
          meta.set(f, cm.get(f).deepCopy());
        }
      }
      if (cm.get("deletionTimestamp") != null) {
        meta.set("deletionTimestamp", cm.get("deletionTimestamp").deepCopy());
      }
      long generation = cm.path("generation").asLong(1);
      meta.put("generation", specChanged(type, current, next) ? generation + 1 : generation);
    }
    if (current != null && sameContent(current, next)) {
      // the API server does not write (nor bump resourceVersion) when nothing changes
      return new Written(current, Json.write(current));
    }
    if (dryRun) {
      if (current != null) {
        meta.put("resourceVersion", Json.text(current.path("metadata"), "resourceVersion"));
      } else {
        meta.remove("resourceVersion");
      }
      return new Written(next, Json.write(next));
    }
    meta.put("resourceVersion", String.valueOf(nextResourceVersion()));
    if (current != null
        && current.path("metadata").get("deletionTimestamp") != null
        && (meta.get("finalizers") == null || meta.get("finalizers").isEmpty())) {
      remove(type, current);
      return new Written(next, Json.write(next));
    }
    String namespace = Json.text(meta, "namespace");
    String name = Json.text(meta, "name");
    String json = Json.write(next);
    String previous = byType(type).put(namespace + "/" + name, json);
    watches.publish(type, namespace, name, current, previous, next, json);
    changes.accept(type, namespace + "/" + name);
    if (type.kind().equals("CustomResourceDefinition")) {
      registerCrd(next);
    }
    return new Written(next, json);
  }

  /**
   * A random (version 4) UUID. {@link UUID#randomUUID()} draws from SecureRandom, which costs more
   * than the rest of a create; uids need to be unique, not unpredictable.
   */
  private static String randomUid() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }

  /** Removes {@code current} from the store, notifying watchers. */
  public void remove(ApiResource type, ObjectNode current) {
    String namespace = Json.text(current.path("metadata"), "namespace");
    String name = Json.text(current.path("metadata"), "name");
    String old = byType(type).remove(namespace + "/" + name);
    if (old != null) {
      watches.publish(type, namespace, name, current, old, null, null);
      changes.accept(type, namespace + "/" + name);
    }
  }

  private void registerCrd(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    String group = Json.text(spec, "group");
    JsonNode names = spec.path("names");
    boolean namespaced = !"Cluster".equals(Json.text(spec, "scope"));
    List<String> shortNames = new ArrayList<>();
    names.path("shortNames").forEach(n -> shortNames.add(n.asString()));
    // apiextensions.k8s.io/v1 declares subresources per version, v1beta1 for all versions
    boolean statusForAll = spec.path("subresources").path("status").isObject();
    for (JsonNode v : spec.path("versions")) {
      if (v.path("served").asBoolean(true)) {
        addCustomResource(
            new ApiResource(
                group,
                Json.text(v, "name"),
                Json.text(names, "kind"),
                Json.text(names, "plural"),
                namespaced,
                true,
                shortNames,
                statusForAll || v.path("subresources").path("status").isObject()));
      }
    }
  }

  private static boolean sameContent(ObjectNode current, ObjectNode next) {
    return withoutWriteMarks(current).equals(SAME_JSON, withoutWriteMarks(next));
  }

  /**
   * Leaves equal when their JSON text is: an int and a long of one value are the same number, as
   * after a write and a parse (1 and 1.0 are not, nor are they to the API server's decoder).
   */
  private static final Comparator<JsonNode> SAME_JSON =
      (a, b) ->
          a.equals(b) || (a.isNumber() && b.isNumber() && a.asString().equals(b.asString()))
              ? 0
              : 1;

  /**
   * {@code o} but what every write changes (resourceVersion, generation, managedFields' times): a
   * copy of the metadata, the rest shared (not changed here).
   */
  private static ObjectNode withoutWriteMarks(ObjectNode o) {
    ObjectNode copy = Json.MAPPER.createObjectNode();
    copy.setAll(o);
    if (o.get("metadata") instanceof ObjectNode m) {
      ObjectNode meta = m.deepCopy();
      meta.remove("resourceVersion");
      meta.remove("generation");
      if (meta.get("managedFields") instanceof ArrayNode fields) {
        for (JsonNode f : fields) {
          if (f instanceof ObjectNode entry) {
            entry.remove("time");
          }
        }
      }
      copy.set("metadata", meta);
    }
    return copy;
  }

  /**
   * Whether anything but metadata changed, and, for a type with a status subresource, but status
   * (the API server's rule for {@code metadata.generation}: a CRD without the subresource moves it
   * on a status change too).
   */
  private static boolean specChanged(ApiResource type, JsonNode current, JsonNode next) {
    ObjectNode a = ((ObjectNode) current).deepCopy();
    ObjectNode b = ((ObjectNode) next).deepCopy();
    for (ObjectNode o : List.of(a, b)) {
      o.remove("metadata");
      if (type.statusSubresource()) {
        o.remove("status");
      }
    }
    return !a.equals(b);
  }

  // ---------------------------------------------------------------- validation helpers

  private String namespaceFor(ApiResource type, RequestPath rp, ObjectNode meta) {
    if (!type.namespaced()) {
      meta.remove("namespace");
      return "";
    }
    String inBody = Json.text(meta, "namespace");
    if (!inBody.isEmpty() && !rp.namespace().isEmpty() && !inBody.equals(rp.namespace())) {
      throw new ApiError(
          400,
          "BadRequest",
          "the namespace of the provided object ("
              + inBody
              + ") does not match the namespace sent on the request ("
              + rp.namespace()
              + ")");
    }
    String ns = inBody.isEmpty() ? rp.namespace() : inBody;
    meta.put("namespace", ns);
    return ns;
  }

  private void requireNamespace(ApiResource type, String namespace) {
    if (!type.namespaced()) {
      return;
    }
    ApiResource ns = resources.byKind("v1", "Namespace").orElseThrow();
    if (!byType(ns).containsKey("/" + namespace)) {
      throw new ApiError(404, "NotFound", "namespaces \"" + namespace + "\" not found");
    }
  }

  private static void checkType(ApiResource type, ObjectNode obj) {
    String apiVersion = Json.text(obj, "apiVersion");
    String kind = Json.text(obj, "kind");
    if ((!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion()))
        || (!kind.isEmpty() && !kind.equals(type.kind()))) {
      throw new ApiError(
          400,
          "BadRequest",
          "the object's "
              + apiVersion
              + "/"
              + kind
              + " does not match the path's "
              + type.apiVersion()
              + "/"
              + type.kind());
    }
  }

  private static void checkName(ApiResource type, RequestPath rp, ObjectNode obj) {
    String name = Json.text(obj.path("metadata"), "name");
    if (!name.isEmpty() && !name.equals(rp.name())) {
      throw new ApiError(
          400,
          "BadRequest",
          "the name of the object ("
              + name
              + ") does not match the name on the URL ("
              + rp.name()
              + ")");
    }
    Json.metadata(obj).put("name", rp.name());
    if (type.namespaced()) {
      Json.metadata(obj).put("namespace", rp.namespace());
    }
  }

  private static void checkResourceVersion(ApiResource type, ObjectNode current, ObjectNode obj) {
    String wanted = Json.text(obj.path("metadata"), "resourceVersion");
    String actual = Json.text(current.path("metadata"), "resourceVersion");
    if (!wanted.isEmpty() && !wanted.equals(actual)) {
      throw new ApiError(
          409,
          "Conflict",
          "Operation cannot be fulfilled on "
              + type.plural()
              + " \""
              + Json.text(current.path("metadata"), "name")
              + "\": the object has been modified; please apply your changes to the latest"
              + " version and try again");
    }
  }

  private ApiError notFound(ApiResource type, String name) {
    return new ApiError(
        404,
        "NotFound",
        type.plural()
            + (type.group().isEmpty() ? "" : "." + type.group())
            + " \""
            + name
            + "\" not found");
  }

  private String randomSuffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder sb = new StringBuilder();
    synchronized (random) {
      for (int i = 0; i < 5; i++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
    }
    return sb.toString();
  }

  private static JsonNode parse(String body) {
    String text = body.strip();
    if (text.isEmpty()) {
      throw new ApiError(400, "BadRequest", "the request has no body");
    }
    if (text.startsWith("{") || text.startsWith("[")) {
      try {
        return Json.read(text);
      } catch (RuntimeException e) {
        throw new ApiError(400, "BadRequest", "the body is not valid JSON: " + e.getMessage());
      }
    }
    try {
      Object yaml = new Load(LoadSettings.builder().build()).loadFromString(text);
      return Json.MAPPER.valueToTree(yaml);
    } catch (RuntimeException e) {
      throw new ApiError(400, "BadRequest", "the body is neither JSON nor YAML: " + e.getMessage());
    }
  }

  private static ObjectNode parseObject(String body) {
    JsonNode n = parse(body);
    if (!(n instanceof ObjectNode o)) {
      throw new ApiError(400, "BadRequest", "the body is not an object");
    }
    return o;
  }

  // ---------------------------------------------------------------- responses

  private static MockResponse json(int code, JsonNode body) {
    return json(code, Json.write(body));
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", JSON).setBody(body);
  }

  private static MockResponse status(int code, String reason, String message) {
    return status(code, reason, message, null);
  }

  private static MockResponse status(int code, String reason, String message, ObjectNode details) {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", message);
    s.put("reason", reason);
    if (details != null) {
      s.set("details", details);
    }
    s.put("code", code);
    return json(code, s);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  // ---------------------------------------------------------------- discovery

  private MockResponse discovery(RequestPath rp) {
    String path = rp.rawPath();
    if (path.equals("/version") || path.equals("/version/")) {
      ObjectNode v = Json.object();
      v.put("major", "1");
      v.put("minor", "32");
      v.put("gitVersion", "v1.32.0+glidepath-embedded");
      v.put("gitCommit", "0000000000000000000000000000000000000000");
      v.put("gitTreeState", "clean");
      v.put("buildDate", "2026-01-01T00:00:00Z");
      v.put("goVersion", "go1.23");
      v.put("compiler", "gc");
      v.put("platform", "linux/amd64");
      return json(200, v);
    }
    if (path.equals("/") || path.isEmpty()) {
      ObjectNode root = Json.object();
      ArrayNode paths = root.putArray("paths");
      paths.add("/api");
      paths.add("/api/v1");
      paths.add("/apis");
      resources
          .groups()
          .forEach(
              (g, versions) -> {
                if (!g.isEmpty()) {
                  paths.add("/apis/" + g);
                  versions.forEach(v -> paths.add("/apis/" + g + "/" + v));
                }
              });
      paths.add("/version");
      return json(200, root);
    }
    if (path.startsWith("/openapi/v3")) {
      return openApiV3(path);
    }
    if (path.equals("/api") || path.equals("/api/")) {
      ObjectNode api = Json.object();
      api.put("kind", "APIVersions");
      api.putArray("versions").add("v1");
      ObjectNode cidr = api.putArray("serverAddressByClientCIDRs").addObject();
      cidr.put("clientCIDR", "0.0.0.0/0");
      cidr.put("serverAddress", serverAddress);
      return json(200, api);
    }
    if (path.equals("/apis") || path.equals("/apis/")) {
      ObjectNode list = Json.object();
      list.put("kind", "APIGroupList");
      list.put("apiVersion", "v1");
      ArrayNode groups = list.putArray("groups");
      resources
          .groups()
          .forEach(
              (g, versions) -> {
                if (!g.isEmpty()) {
                  groups.add(group(g, versions));
                }
              });
      return json(200, list);
    }
    if (rp.resourcePath() && rp.plural().isEmpty()) {
      if (rp.version().isEmpty()) {
        List<String> versions = resources.groups().get(rp.group());
        if (versions == null) {
          return status(404, "NotFound", "the server could not find the requested resource");
        }
        ObjectNode g = group(rp.group(), versions);
        g.put("kind", "APIGroup");
        g.put("apiVersion", "v1");
        return json(200, g);
      }
      List<ApiResource> types = resources.inGroupVersion(rp.group(), rp.version());
      if (types.isEmpty()) {
        return status(404, "NotFound", "the server could not find the requested resource");
      }
      ObjectNode list = Json.object();
      list.put("kind", "APIResourceList");
      list.put("apiVersion", "v1");
      list.put("groupVersion", types.get(0).apiVersion());
      ArrayNode items = list.putArray("resources");
      for (ApiResource t : types) {
        ObjectNode r = items.addObject();
        r.put("name", t.plural());
        r.put("singularName", t.singular());
        r.put("namespaced", t.namespaced());
        r.put("kind", t.kind());
        ArrayNode verbs = r.putArray("verbs");
        for (String v :
            List.of(
                "create",
                "delete",
                "deletecollection",
                "get",
                "list",
                "patch",
                "update",
                "watch")) {
          verbs.add(v);
        }
        if (!t.shortNames().isEmpty()) {
          ArrayNode sn = r.putArray("shortNames");
          t.shortNames().forEach(sn::add);
        }
        if (!t.statusSubresource()) {
          continue;
        }
        ObjectNode status = items.addObject();
        status.put("name", t.plural() + "/status");
        status.put("singularName", "");
        status.put("namespaced", t.namespaced());
        status.put("kind", t.kind());
        ArrayNode sv = status.putArray("verbs");
        sv.add("get");
        sv.add("patch");
        sv.add("update");
      }
      return json(200, list);
    }
    return status(404, "NotFound", "the server could not find the requested resource");
  }

  /**
   * A minimal OpenAPI v3: per group version, only the PATCH operations, each with its
   * group-version-kind and the {@code fieldValidation} parameter. That is what kubectl reads to
   * decide that the server validates fields itself, so it does not need schemas to validate on the
   * client. No schemas are served.
   */
  private MockResponse openApiV3(String path) {
    String rest = path.substring("/openapi/v3".length());
    if (rest.isEmpty() || rest.equals("/")) {
      ObjectNode root = Json.object();
      ObjectNode paths = root.putObject("paths");
      for (Map.Entry<String, List<String>> g : resources.groups().entrySet()) {
        for (String v : g.getValue()) {
          String gv = g.getKey().isEmpty() ? "api/" + v : "apis/" + g.getKey() + "/" + v;
          paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + v);
        }
      }
      return json(200, root);
    }
    RequestPath gv = RequestPath.parse(rest);
    List<ApiResource> types = resources.inGroupVersion(gv.group(), gv.version());
    if (!gv.resourcePath() || types.isEmpty()) {
      return status(404, "NotFound", "the server could not find the requested resource");
    }
    ObjectNode doc = Json.object();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    for (ApiResource t : types) {
      String item = t.namespaced() ? t.itemPath("{namespace}", "{name}") : t.itemPath("", "{name}");
      ObjectNode patch = paths.putObject(item).putObject("patch");
      patch.put("operationId", "patch" + t.kind());
      ObjectNode gvk = patch.putObject("x-kubernetes-group-version-kind");
      gvk.put("group", t.group());
      gvk.put("kind", t.kind());
      gvk.put("version", t.version());
      ArrayNode params = patch.putArray("parameters");
      for (String name : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
        ObjectNode p = params.addObject();
        p.put("name", name);
        p.put("in", "query");
        p.putObject("schema").put("type", name.equals("force") ? "boolean" : "string");
      }
      patch.putObject("responses").putObject("200").put("description", "OK");
    }
    doc.putObject("components").putObject("schemas");
    return json(200, doc);
  }

  private static ObjectNode group(String name, List<String> versions) {
    ObjectNode g = Json.object();
    g.put("name", name);
    ArrayNode vs = g.putArray("versions");
    for (String v : versions) {
      ObjectNode gv = vs.addObject();
      gv.put("groupVersion", name + "/" + v);
      gv.put("version", v);
    }
    ObjectNode preferred = g.putObject("preferredVersion");
    preferred.put("groupVersion", name + "/" + versions.get(0));
    preferred.put("version", versions.get(0));
    return g;
  }
}
