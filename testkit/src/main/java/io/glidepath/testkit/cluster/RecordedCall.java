package io.glidepath.testkit.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * One request the {@link EmbeddedCluster} answered, as its request log keeps it.
 *
 * <p>Tests assert on it, e.g. that a no-op resync made no write: {@code
 * assertThat(cluster.requests().stream().filter(RecordedCall::successfulWrite)).isEmpty()}.
 *
 * @param time when the request arrived, on the cluster's clock
 * @param verb the Kubernetes verb
 * @param method the HTTP method
 * @param uri path and query as sent
 * @param kind the kind addressed, "" for discovery
 * @param namespace the namespace in the path, or ""
 * @param name the object name in the path, or ""
 * @param dryRun whether {@code dryRun=All} was set
 * @param status the HTTP status answered
 * @param fieldManager the {@code fieldManager} query parameter, or ""
 * @param body the request body, or "" (never logged by the cluster itself)
 * @param userAgent the {@code User-Agent} header, or "": tells apart clients (replicas) in one log
 */
public record RecordedCall(
    Instant time,
    Verb verb,
    String method,
    String uri,
    String kind,
    String namespace,
    String name,
    boolean dryRun,
    int status,
    String fieldManager,
    String body,
    String userAgent) {

  public RecordedCall {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(verb, "verb");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(fieldManager, "fieldManager");
    body = body == null ? "" : body;
    userAgent = userAgent == null ? "" : userAgent;
  }

  /** A call without a {@code User-Agent}. */
  public RecordedCall(
      Instant time,
      Verb verb,
      String method,
      String uri,
      String kind,
      String namespace,
      String name,
      boolean dryRun,
      int status,
      String fieldManager,
      String body) {
    this(time, verb, method, uri, kind, namespace, name, dryRun, status, fieldManager, body, "");
  }

  /**
   * Whether this is a write call answered with success and not a dry run. A server-side apply that
   * changed nothing still counts: it is a write call all the same.
   */
  public boolean successfulWrite() {
    return verb.isWrite() && !dryRun && status < 300;
  }

  /**
   * The name of the object the call addresses: the name in the path, else, for a create (whose path
   * ends with the collection), {@code metadata.name} of the object in its body; "" when neither
   * names one (a list, a {@code generateName} create). Tells apart the objects a test's writers
   * created, e.g. which replica created which claim Lease.
   */
  public String objectName() {
    if (!name.isEmpty() || verb != Verb.CREATE || body.isBlank()) {
      return name;
    }
    try {
      return io.glidepath.testkit.internal.cluster.Json.read(body)
          .path("metadata")
          .path("name")
          .asString("");
    } catch (RuntimeException e) {
      return ""; // not JSON: the cluster refused it
    }
  }

  /** Omits the body, which may hold secret data. */
  @Override
  public String toString() {
    return verb
        + " "
        + uri
        + " -> "
        + status
        + (dryRun ? " (dry run)" : "")
        + (fieldManager.isEmpty() ? "" : " by " + fieldManager)
        + (userAgent.isEmpty() ? "" : " from " + userAgent);
  }
}
