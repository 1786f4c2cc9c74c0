package io.glidepath.kube.shard;

import io.glidepath.core.resource.ResourceKey;
import io.glidepath.kube.KubeException;
import java.util.Objects;

/**
 * A write for a work item was not sent: the fencing check just before it found that this replica no
 * longer holds the item's claim ({@link ItemClaims}), e.g. because it was paused or cut off for
 * longer than a lease duration and another replica took the item over, or could not make sure it
 * still does ({@link #kind()}). Not retried; the item is stopped on this replica until it claims it
 * again.
 */
public final class FencedWriteException extends KubeException {
  private static final long serialVersionUID = 1L;

  /** Why a fencing check refused a write. */
  public enum Reason {
    /**
     * This replica's own Lease was not renewed recently enough to write safely ({@link
     * ReplicaMembership#aliveForWrites()}): others may take its items soon, or have already.
     */
    OWN_LEASE_STALE,
    /** This replica has not claimed the item (or released it). */
    NOT_CLAIMED,
    /**
     * The claim could not be read from the API server (no answer in time, a server error): this
     * replica cannot make sure it still holds it, so it does not write; the item stays here.
     */
    CLAIM_UNREADABLE,
    /** The claim Lease is gone. */
    CLAIM_GONE,
    /** The claim names nobody: it was released. */
    CLAIM_RELEASED,
    /** The claim names another replica (it took the item over). */
    HELD_BY_OTHER,
    /** The claim names this replica, but in a later epoch than the one it claimed the item in. */
    EPOCH_CHANGED,
    /** A refusal of the host's own fencing check (thrown without a reason). */
    OTHER
  }

  private final String item;
  private final String replica;
  private final String reason;
  private final Reason kind;

  /** A refusal without a {@link Reason} ({@link Reason#OTHER}). */
  public FencedWriteException(String item, String replica, ResourceKey key, String why) {
    this(item, replica, key, Reason.OTHER, why);
  }

  /** A refusal for {@code kind}, {@code why} saying it in words (for the message). */
  public FencedWriteException(
      String item, String replica, ResourceKey key, Reason kind, String why) {
    super(
        key,
        0,
        "Fenced",
        "replica '"
            + replica
            + "' does not hold the claim on '"
            + item
            + "' any more ("
            + why
            + "): write "
            + (key == null ? "" : "of " + key + " ")
            + "not sent");
    this.item = item;
    this.replica = replica;
    this.reason = why;
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** Why the claim is not this replica's any more (e.g. "the claim is held by 'replica-b'"). */
  public String reason() {
    return reason;
  }

  /** {@link #reason()} as one of a few kinds, to count refusals by. */
  public Reason kind() {
    return kind;
  }

  /** The work item (an Application's name, a Rollout's key). */
  public String item() {
    return item;
  }

  /** The replica whose write was refused. */
  public String replica() {
    return replica;
  }
}
