package io.glidepath.kube.internal;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * A running controller's watch of its own Argo CD Application object: a subscription by namespace
 * and name to the cluster's one shared {@link ApplicationObjectInformer}, so that the controller
 * reads the object's current spec from memory and reconciles as soon as the spec changes, the
 * object goes, or an object of that name appears (created after the controller started). Status
 * writes (the controller's own among them) do not count as changes: only {@code spec}, {@code
 * metadata.deletionTimestamp}, {@code metadata.finalizers} and the object's uid do.
 */
final class ApplicationObjectWatch implements AutoCloseable {
  private final ResourceKey key;
  private final Runnable changed;
  // the object's JSON, shared with the informer's store (null: none), and what changes count
  private final AtomicReference<Seen> current = new AtomicReference<>(Seen.NONE);
  private volatile ApplicationObjectInformer informer;
  private volatile Runnable release = () -> {};

  private ApplicationObjectWatch(ResourceKey key, Runnable changed) {
    this.key = key;
    this.changed = changed;
  }

  /**
   * Subscribes to {@code key} on {@code cluster}'s shared Application informer (starting it, and
   * waiting for its initial list, when this is its first user).
   *
   * @throws IllegalStateException when the cluster is closed
   */
  static ApplicationObjectWatch start(
      DefaultKubeCluster cluster, ResourceKey key, Runnable changed) {
    Objects.requireNonNull(changed, "changed");
    ApplicationObjectWatch w = new ApplicationObjectWatch(key, changed);
    cluster.liveCache().subscribe(cluster.typeOf(key), w);
    return w;
  }

  /**
   * Called by the informer before it adds this watch to its subscribers, so that an event reaching
   * the watch from then on finds the informer.
   */
  void bind(ApplicationObjectInformer by) {
    this.informer = by;
  }

  /** Called by the cache once subscribed: closing the watch runs {@code release}. */
  void subscribed(Runnable release) {
    this.release = release;
  }

  /**
   * The object as the informer holds it now, read once subscribed (after the informer added this
   * watch): not a change. Under this watch's lock, as every read of the store that sets what the
   * watch has seen, so that the last one set is the last one read.
   */
  synchronized void initial() {
    current.set(Seen.of(informer.json(key), informer));
  }

  ResourceKey key() {
    return key;
  }

  /**
   * Whether the informer's initial list is done and it holds the object as it is, so that {@link
   * #current()} can be trusted. On a cache that keeps only some apps' objects, the first call after
   * subscribing to a dropped object lists the Application objects (see {@link
   * ApplicationObjectInformer#filled}); false when that list fails.
   */
  boolean synced() {
    ApplicationObjectInformer i = informer;
    return i != null && i.synced() && i.filled(key);
  }

  /** The object as a fill found it, before anyone could read it: not a change. */
  synchronized void filled(byte[] json) {
    current.set(Seen.of(Optional.of(json), informer));
  }

  /** The object as last seen, empty when it does not exist. No request is sent. */
  Optional<Resource> current() {
    byte[] json = current.get().json();
    return json == null ? Optional.empty() : Optional.of(Resource.of(informer.tree(json)));
  }

  /**
   * The object's JSON as last seen (null when it does not exist): the same array until the informer
   * sees the object change, so that a caller can tell an object it already read. Not to be
   * modified.
   */
  byte[] currentJson() {
    return current.get().json();
  }

  /**
   * The informer saw the object change (or go): reads it as the informer's store holds it now, so
   * that whichever of this and {@link #initial} runs last leaves the newest state, and tells the
   * controller when what a reconcile acts on changed.
   */
  void seen() {
    boolean changes;
    synchronized (this) {
      Seen next = Seen.of(informer.json(key), informer);
      Seen before = current.getAndSet(next);
      changes =
          (before.json() != null || next.json() != null)
              && (before.json() == null
                  || next.json() == null
                  || !java.util.Arrays.equals(before.fingerprint(), next.fingerprint()));
    }
    if (changes) {
      changed.run();
    }
  }

  /** The object as packed JSON (the informer's) and the digest of what a reconcile acts on. */
  private record Seen(byte[] json, byte[] fingerprint) {
    static final Seen NONE = new Seen(null, new byte[0]);

    static Seen of(Optional<byte[]> json, ApplicationObjectInformer by) {
      if (json.isEmpty()) {
        return NONE;
      }
      JsonNode object = by.tree(json.get());
      return new Seen(json.get(), digest(ApplicationObjectWatch.fingerprint(object)));
    }
  }

  private static byte[] digest(String text) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public void close() {
    release.run();
  }

  /** What a reconcile acts on: the spec, the deletion state and the identity, not the status. */
  static String fingerprint(JsonNode object) {
    JsonNode meta = object.path("metadata");
    return Yaml.toJson(object.path("spec"))
        + "|"
        + meta.path("deletionTimestamp").asString("")
        + "|"
        + Yaml.toJson(meta.path("finalizers"))
        + "|"
        + meta.path("uid").asString("");
  }
}
