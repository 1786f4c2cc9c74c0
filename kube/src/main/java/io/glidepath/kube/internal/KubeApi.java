package io.glidepath.kube.internal;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.glidepath.core.NetworkFailure;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeException;
import io.glidepath.kube.RequestRetry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Raw JSON calls to the API server through fabric8's HTTP client, retried per RequestRetry. */
public final class KubeApi {
  /**
   * An answer: the status and the body, parsed on first use (an empty object when there was none).
   * Most answers are read only for their status: a create in a first sync never looks at the object
   * it gets back, so its JSON is never parsed.
   */
  public static final class Answer {
    private final int code;
    private final String text;
    private volatile JsonNode body;

    /** An answer with an already parsed body. */
    public Answer(int code, JsonNode body) {
      this.code = code;
      this.text = null;
      this.body = body;
    }

    private Answer(int code, String text) {
      this.code = code;
      this.text = text;
    }

    public int code() {
      return code;
    }

    /** The parsed body; not JSON is wrapped as {@code {"message": text}}. */
    public JsonNode body() {
      JsonNode b = body;
      if (b == null) {
        b = text == null || text.isBlank() ? Yaml.mapper().createObjectNode() : parseOrWrap(text);
        body = b;
      }
      return b;
    }

    public boolean ok() {
      return code >= 200 && code < 300;
    }

    public String reason() {
      return body().path("reason").isString() ? body().path("reason").stringValue() : "";
    }

    public String message() {
      return body().path("message").isString() ? body().path("message").stringValue() : "";
    }

    /** Whether a 409 is a field-manager conflict of server-side apply (not retried). */
    boolean fieldManagerConflict() {
      for (JsonNode cause : body().path("details").path("causes")) {
        if ("FieldManagerConflict".equals(cause.path("type").asString(""))) {
          return true;
        }
      }
      return false;
    }

    /**
     * Whether a 409 says that a resourceVersion precondition failed (the object changed since it
     * was read): sending the same body again cannot succeed, so it is not retried.
     */
    public boolean preconditionFailed() {
      return code == 409
          && (message().contains("the object has been modified")
              || message().contains("Precondition failed"));
    }

    @Override
    public String toString() {
      return "Answer[" + code + "]";
    }
  }

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final HttpClient http;
  private final String base;
  private final RequestRetry policy;
  private final long timeoutMillis;

  /** The retry of {@link #send}: built once, it is thread-safe (each call gets its own context). */
  private final Retry plainRetry;

  // told of each object about to be created or changed (see #onWrite)
  private volatile WriteObserver writes;

  /** Told of the writes that create or change objects ({@link #onWrite}). */
  interface WriteObserver {
    /** A write of the object at {@code key} is about to be sent. */
    void writing(ResourceKey key);

    /** The write of the object at {@code key} was answered with {@code answer}. */
    void written(ResourceKey key, Answer answer);
  }

  public KubeApi(HttpClient http, String masterUrl, RequestRetry policy, long timeoutMillis) {
    this.http = http;
    this.base =
        masterUrl.endsWith("/") ? masterUrl.substring(0, masterUrl.length() - 1) : masterUrl;
    this.policy = policy;
    this.timeoutMillis = timeoutMillis;
    this.plainRetry = retry(a -> false);
  }

  /**
   * From now on tells {@code observer} of every request that may create or change an object (each
   * attempt of a POST, PUT or PATCH that names its object, not a dry run; not deletions), before it
   * is sent and once answered: the shared cache's record of the writes its informers have not shown
   * yet.
   */
  void onWrite(WriteObserver observer) {
    this.writes = java.util.Objects.requireNonNull(observer, "observer");
  }

  /** Whether an answer is worth another attempt. */
  static boolean transientFailure(Answer a) {
    return switch (a.code()) {
      case 429, 500, 502, 503, 504 -> true;
      case 409 ->
          !a.fieldManagerConflict()
              && !"AlreadyExists".equals(a.reason())
              && !a.preconditionFailed();
      default -> false;
    };
  }

  private Retry retry(java.util.function.Predicate<Answer> also) {
    RetryConfig config =
        RetryConfig.<Answer>custom()
            .maxAttempts(policy.maxAttempts())
            .intervalFunction(
                IntervalFunction.ofExponentialBackoff(
                    policy.initialBackoff(), policy.multiplier(), policy.maxBackoff()))
            .retryOnResult(a -> transientFailure(a) || also.test(a))
            .retryOnException(
                e ->
                    e instanceof KubeException k
                        && k.status() == 0
                        && !(e instanceof io.glidepath.kube.shard.FencedWriteException))
            .failAfterMaxAttempts(false)
            .build();
    return Retry.of("kube-" + SEQUENCE.incrementAndGet(), config);
  }

  /** Sends one request, retrying transient failures; never throws for an HTTP status. */
  public Answer send(String method, String path, String contentType, String body, ResourceKey key) {
    Supplier<Answer> once = () -> sendOnce(method, path, contentType, body, key);
    return Retry.decorateSupplier(plainRetry, once).get();
  }

  /**
   * Sends a patch ({@code merge-patch} or {@code apply-patch}) of one object; under a {@link
   * WriteFence} (sharding) the patch carries the object's resourceVersion, read just before the
   * write's fencing check, as a precondition: a write that arrives after another replica took the
   * item over and changed the object is refused with 409. When the object changed meanwhile it is
   * read and sent once more, and that send's fencing check refuses it if the claim was lost. An
   * object that does not exist yet is written without a precondition.
   *
   * @param objectPath the object's item path (the patch may go to a subresource of it)
   */
  public Answer patchAtReadVersion(
      String path, String contentType, ObjectNode patch, String objectPath, ResourceKey key) {
    if (WriteFence.current().isEmpty()) {
      return send("PATCH", path, contentType, Yaml.toJson(patch), key);
    }
    Answer answer = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      Answer got = send("GET", objectPath, null, null, key);
      if (!got.ok() && got.code() != 404) {
        return got;
      }
      ObjectNode body = patch.deepCopy();
      if (got.ok()) {
        String version = got.body().path("metadata").path("resourceVersion").asString("");
        JsonNode meta = body.get("metadata");
        (meta instanceof ObjectNode m ? m : body.putObject("metadata"))
            .put("resourceVersion", version);
      }
      answer = send("PATCH", path, contentType, Yaml.toJson(body), key);
      if (!answer.preconditionFailed()) {
        return answer;
      }
    }
    return answer;
  }

  /** Like {@link #send}, also retrying answers that {@code also} accepts. */
  public Answer sendRetryingAlso(
      String method,
      String path,
      String contentType,
      String body,
      ResourceKey key,
      java.util.function.Predicate<Answer> also) {
    Supplier<Answer> once = () -> sendOnce(method, path, contentType, body, key);
    return Retry.decorateSupplier(retry(also), once).get();
  }

  private Answer sendOnce(
      String method, String path, String contentType, String body, ResourceKey key) {
    // fencing: checked before every attempt, so a retry after a long pause is checked again
    WriteFence.beforeWrite(method, path, key);
    WriteObserver observer =
        key != null
                && !"GET".equals(method)
                && !"DELETE".equals(method)
                && !path.contains("dryRun=All")
            ? writes
            : null;
    if (observer != null) {
      observer.writing(key);
    }
    // no per-request timeout on the builder: fabric8 would schedule a timer for each request and
    // cancel it afterwards, creating two exceptions with stack traces per request; the bounded
    // wait below is the same limit at no cost
    HttpRequest.Builder b = http.newHttpRequestBuilder().uri(base + path);
    b.header("Accept", "application/json");
    if (body == null) {
      b.method(method, null, null);
    } else {
      b.method(method, contentType, body);
    }
    CompletableFuture<HttpResponse<String>> pending = http.sendAsync(b.build(), String.class);
    try {
      HttpResponse<String> r = pending.get(timeoutMillis, TimeUnit.MILLISECONDS);
      Answer answer = new Answer(r.code(), r.body());
      if (observer != null) {
        observer.written(key, answer);
      }
      return answer;
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new KubeException(key, method + " " + path + " was interrupted", e);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new KubeException(key, method + " " + path + " timed out", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String what =
          cause instanceof TimeoutException
              ? "timed out"
              : "failed: "
                  + NetworkFailure.describe(cause)
                      .map(
                          words ->
                              "cannot reach "
                                  + NetworkFailure.endpoint(java.net.URI.create(base))
                                  + ": "
                                  + words)
                      .orElse(String.valueOf(cause));
      throw new KubeException(key, method + " " + path + " " + what, cause);
    }
  }

  private static JsonNode parseOrWrap(String text) {
    try {
      return Yaml.mapper().readTree(text);
    } catch (RuntimeException e) {
      return Yaml.mapper().createObjectNode().put("message", text);
    }
  }

  /** Turns a failed answer into an exception naming the call. */
  public static KubeException failure(Answer a, String what, ResourceKey key) {
    String message = a.message().isEmpty() ? "HTTP " + a.code() : a.message();
    return new KubeException(
        key,
        a.code(),
        a.reason(),
        what + " failed (" + a.code() + " " + a.reason() + "): " + message);
  }
}
