package io.glidepath.kube.shard;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-item claims of one replica: a {@code coordination.k8s.io/v1} Lease per work item ({@code
 * <group>-item-<name>-<hash>}) whose {@code holderIdentity} names the replica that may write the
 * item. Every change of a claim is an update with the resourceVersion read (or a create), so two
 * replicas racing for an item cannot both win.
 *
 * <p>A claim does not need renewing of its own: it holds while its holder's replica Lease is live
 * ({@link ReplicaMembership}). Another replica takes an item over only when the claim is released
 * ({@link #release}, at shutdown or when the item moves) or its holder is no longer live as that
 * replica sees it, i.e. the holder's Lease has not changed for a whole lease duration. A holder
 * checks its claim before each reconcile ({@link #confirm}): its own Lease must have been renewed
 * less than a lease duration ago and the claim must still name it, read from the API server.
 *
 * <p>Each claim has an epoch: its {@code leaseTransitions}, raised by every change of holder. The
 * holder records the epoch it claimed in, and the fencing check before every write ({@link
 * #lostBecause}) asks the API server whether the claim still names this replica in that epoch. What
 * that check cannot cover alone is a pause between the check and the write's arrival at the API
 * server (one request's round trip); writes to the item's own status object close that gap with a
 * resourceVersion precondition and the owner stamp ({@link #ownerStamp}).
 *
 * <p>Why the check refuses rather than trusts what it knew (safety over liveness): its own Lease
 * renewed less than a lease duration minus the margin ago ({@link
 * ReplicaMembership#aliveForWrites()}) proves only that a peer judging liveness correctly cannot
 * have taken the item. A peer whose view of this replica's Lease lags (its watch broken and its
 * lists failing while its own renewals pass) judges this replica dead by its own clock and takes
 * the item over in the next epoch, although this replica renewed all along; a replica paused past
 * its lease that renews again on waking holds a fresh Lease while a peer holds its items. Only the
 * claim read now tells those apart, so a claim that cannot be read refuses the write ({@link
 * FencedWriteException.Reason#CLAIM_UNREADABLE}); a claim read earlier and a Lease renewed since
 * are never taken for it. The own-Lease test runs before the read (no request for a replica that
 * may not write anyway) and again after it (the read may have taken long enough for the margin to
 * pass). Thread-safe.
 */
public final class ItemClaims {
  static final String ITEM_LABEL = "glidepath.io/item-claim";

  /**
   * From how many items on {@link #acquireAll} reads the group's claims with one list instead of
   * one read per item.
   */
  static final int LIST_FROM = 8;

  private final ReplicaMembership membership;
  // the epoch each claim held by this replica was taken in
  private final Map<String, Integer> epochs = new ConcurrentHashMap<>();
  private final LongAdder writes = new LongAdder();

  private ItemClaims(ReplicaMembership membership) {
    this.membership = membership;
  }

  /** The claims of {@code membership}'s replica, as Leases next to the replica Leases. */
  public static ItemClaims of(ReplicaMembership membership) {
    return new ItemClaims(Objects.requireNonNull(membership, "membership"));
  }

  /** The outcome of {@link #acquire}. */
  public enum Outcome {
    /** This replica holds the claim (it did already, or took a free one now). */
    HELD,
    /** This replica took the claim over from a replica that is no longer live. */
    TAKEN_OVER,
    /** A live replica holds it (or won a race for it); try again later. */
    HELD_BY_OTHER,
    /** This replica is not live itself (its Lease is not renewed): it must not claim. */
    NOT_LIVE,
    /** The API server did not answer; try again later. */
    UNAVAILABLE
  }

  private MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      leases() {
    return membership
        .cluster()
        .client()
        .genericKubernetesResources("coordination.k8s.io/v1", "Lease");
  }

  /** The name of {@code item}'s claim Lease (a readable prefix and a hash: at most 63 chars). */
  String claimName(String item) {
    String readable =
        item.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
    String hash;
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest((membership.group() + "/" + item).getBytes(StandardCharsets.UTF_8));
      hash = HexFormat.of().formatHex(d, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    String prefix = membership.group() + "-item-";
    int room = 63 - prefix.length() - 1 - hash.length();
    if (readable.length() > room) {
      readable = readable.substring(0, Math.max(0, room));
    }
    return (prefix + readable + "-" + hash).replace("--", "-");
  }

  /** Who holds {@code item}'s claim now, read from the API server; empty when nobody does. */
  public Optional<String> holder(String item) {
    GenericKubernetesResource l =
        leases().inNamespace(membership.namespace()).withName(claimName(item)).get();
    return l == null ? Optional.empty() : Optional.of(holderOf(l)).filter(h -> !h.isEmpty());
  }

  /**
   * Claims {@code item} for this replica when nobody holds it, this replica does already, or its
   * holder is no longer live: one read of the claim and, unless this replica holds it already, one
   * write.
   */
  public Outcome acquire(String item) {
    if (!membership.alive()) {
      return Outcome.NOT_LIVE;
    }
    GenericKubernetesResource current;
    try {
      current = leases().inNamespace(membership.namespace()).withName(claimName(item)).get();
    } catch (KubernetesClientException e) {
      return Outcome.UNAVAILABLE;
    }
    return acquire(item, current);
  }

  /**
   * {@link #acquire} of each of {@code items}, the writes sent concurrently on {@code executor}
   * (bounded by its threads); from {@value #LIST_FROM} items on, the claims are read with one list
   * of the group's claims rather than one read each. Returns when every claim was answered.
   */
  public Map<String, Outcome> acquireAll(Collection<String> items, Executor executor) {
    Objects.requireNonNull(executor, "executor");
    Map<String, Outcome> out = new ConcurrentHashMap<>();
    if (items.isEmpty()) {
      return out;
    }
    if (!membership.alive()) {
      items.forEach(i -> out.put(i, Outcome.NOT_LIVE));
      return out;
    }
    Map<String, GenericKubernetesResource> listed = null;
    if (items.size() >= LIST_FROM) {
      try {
        listed = new HashMap<>();
        for (GenericKubernetesResource l :
            leases()
                .inNamespace(membership.namespace())
                .withLabel(ITEM_LABEL, membership.group())
                .list()
                .getItems()) {
          listed.put(l.getMetadata().getName(), l);
        }
      } catch (KubernetesClientException e) {
        items.forEach(i -> out.put(i, Outcome.UNAVAILABLE));
        return out;
      }
    }
    Map<String, GenericKubernetesResource> current = listed;
    List<CompletableFuture<Void>> calls = new ArrayList<>(items.size());
    for (String item : items) {
      calls.add(
          CompletableFuture.runAsync(
              () ->
                  out.put(
                      item,
                      current == null
                          ? acquire(item)
                          : acquire(item, current.get(claimName(item)))),
              executor));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    return out;
  }

  /** Claims {@code item} given its claim as just read ({@code current}, null: none yet). */
  private Outcome acquire(String item, GenericKubernetesResource current) {
    if (!membership.alive()) {
      return Outcome.NOT_LIVE;
    }
    try {
      if (current == null) {
        writes.increment();
        leases().inNamespace(membership.namespace()).resource(claim(item, null, 0)).create();
        epochs.put(item, 0);
        return Outcome.HELD;
      }
      String holder = holderOf(current);
      if (holder.equals(membership.identity())) {
        epochs.put(item, transitions(current));
        return Outcome.HELD;
      }
      if (!holder.isEmpty() && membership.isLive(holder)) {
        return Outcome.HELD_BY_OTHER;
      }
      int epoch = transitions(current) + 1;
      writes.increment();
      leases()
          .inNamespace(membership.namespace())
          .resource(claim(item, current.getMetadata().getResourceVersion(), epoch))
          .update();
      epochs.put(item, epoch);
      return holder.isEmpty() ? Outcome.HELD : Outcome.TAKEN_OVER;
    } catch (KubernetesClientException e) {
      return e.getCode() == 409 ? Outcome.HELD_BY_OTHER : Outcome.UNAVAILABLE;
    }
  }

  /**
   * The writes of claims this replica sent so far (creates, takeovers and releases; answered or
   * not): a replica that starts with N items sends about N, and none while the members stay the
   * same.
   */
  public long writes() {
    return writes.sum();
  }

  /**
   * The fencing check before a reconcile of {@code item}: whether this replica is live and the
   * claim, read now, still names it.
   */
  public boolean confirm(String item) {
    return lostBecause(item).isEmpty();
  }

  /**
   * The fencing check before one write for {@code item}: empty when this replica is live with a
   * margin ({@link ReplicaMembership#aliveForWrites()}) and the claim, read from the API server
   * now, names it in the epoch it claimed the item in; otherwise why not (for the refusal's
   * message).
   */
  public Optional<String> lostBecause(String item) {
    return refusal(item).map(Refusal::why);
  }

  /** Why a fencing check refuses a write: its kind, and in words. */
  record Refusal(FencedWriteException.Reason kind, String why) {}

  /** {@link #lostBecause}, with the kind of refusal. */
  Optional<Refusal> refusal(String item) {
    if (!membership.aliveForWrites()) {
      return Optional.of(staleLease());
    }
    Integer epoch = epochs.get(item);
    if (epoch == null) {
      return Optional.of(
          new Refusal(FencedWriteException.Reason.NOT_CLAIMED, "it has not claimed it"));
    }
    GenericKubernetesResource l;
    try {
      l = leases().inNamespace(membership.namespace()).withName(claimName(item)).get();
    } catch (KubernetesClientException e) {
      return Optional.of(
          new Refusal(
              FencedWriteException.Reason.CLAIM_UNREADABLE,
              "the claim could not be read: "
                  + (e.getCode() == 0
                      ? "no answer (" + e.getMessage() + ")"
                      : "HTTP " + e.getCode())));
    }
    if (l == null) {
      return Optional.of(new Refusal(FencedWriteException.Reason.CLAIM_GONE, "the claim is gone"));
    }
    String holder = holderOf(l);
    if (holder.isEmpty()) {
      return Optional.of(
          new Refusal(FencedWriteException.Reason.CLAIM_RELEASED, "the claim was released"));
    }
    if (!holder.equals(membership.identity())) {
      return Optional.of(
          new Refusal(
              FencedWriteException.Reason.HELD_BY_OTHER, "the claim is held by '" + holder + "'"));
    }
    if (transitions(l) != epoch) {
      return Optional.of(
          new Refusal(
              FencedWriteException.Reason.EPOCH_CHANGED,
              "the claim changed hands since epoch " + epoch));
    }
    if (!membership.aliveForWrites()) {
      return Optional.of(staleLease());
    }
    return Optional.empty();
  }

  private Refusal staleLease() {
    return new Refusal(
        FencedWriteException.Reason.OWN_LEASE_STALE,
        "its own Lease was not renewed in time to write safely (lease "
            + membership.leaseDuration()
            + ")");
  }

  /** The epoch this replica claimed {@code item} in, while it holds the claim. */
  public OptionalInt epoch(String item) {
    Integer e = epochs.get(item);
    return e == null ? OptionalInt.empty() : OptionalInt.of(e);
  }

  /**
   * {@code <replica>/<epoch>}: what this replica records in the item's status object (annotation
   * {@value #OWNER_ANNOTATION}) while it holds the claim.
   */
  public Optional<String> ownerStamp(String item) {
    Integer e = epochs.get(item);
    return e == null ? Optional.empty() : Optional.of(membership.identity() + "/" + e);
  }

  /** The annotation of an item's status object that names the replica and epoch that wrote it. */
  public static final String OWNER_ANNOTATION = "glidepath.io/owner";

  /** Gives up {@code item} when this replica holds it, so another may take it at once. */
  public void release(String item) {
    epochs.remove(item);
    var ref = leases().inNamespace(membership.namespace()).withName(claimName(item));
    try {
      GenericKubernetesResource current = ref.get();
      if (current != null && holderOf(current).equals(membership.identity())) {
        GenericKubernetesResource released =
            claim(item, current.getMetadata().getResourceVersion(), transitions(current));
        spec(released).put("holderIdentity", "");
        writes.increment();
        leases().inNamespace(membership.namespace()).resource(released).update();
      }
    } catch (KubernetesClientException e) {
      // it expires with this replica's Lease instead
    }
  }

  private GenericKubernetesResource claim(String item, String resourceVersion, int transitions) {
    GenericKubernetesResource l = new GenericKubernetesResource();
    l.setApiVersion("coordination.k8s.io/v1");
    l.setKind("Lease");
    ObjectMeta meta = new ObjectMeta();
    meta.setName(claimName(item));
    meta.setNamespace(membership.namespace());
    meta.setLabels(Map.of(ITEM_LABEL, membership.group()));
    meta.setAnnotations(Map.of("glidepath.io/item", item));
    meta.setResourceVersion(resourceVersion);
    l.setMetadata(meta);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("holderIdentity", membership.identity());
    spec.put("leaseDurationSeconds", Math.max(1, membership.leaseDuration().toSeconds()));
    spec.put("acquireTime", ReplicaMembership.MICRO_TIME.format(membership.clock().instant()));
    spec.put("leaseTransitions", transitions);
    l.setAdditionalProperty("spec", spec);
    return l;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource l) {
    return (Map<String, Object>) l.getAdditionalProperties().get("spec");
  }

  private static String holderOf(GenericKubernetesResource l) {
    return l.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
            && spec.get("holderIdentity") instanceof String h
        ? h
        : "";
  }

  private static int transitions(GenericKubernetesResource l) {
    return l.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
            && spec.get("leaseTransitions") instanceof Number n
        ? n.intValue()
        : 0;
  }
}
