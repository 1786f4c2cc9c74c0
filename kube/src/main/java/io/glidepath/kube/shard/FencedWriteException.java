package io.glidepath.kube.shard;

import io.glidepath.core.resource.ResourceKey;
import io.glidepath.kube.KubeException;

/**
 * A write for a work item was not sent: the fencing check just before it found that this replica no
 * longer holds the item's claim ({@link ItemClaims}), e.g. because it was paused or cut off for
 * longer than a lease duration and another replica took the item over. Not retried; the item is
 * stopped on this replica until it claims it again.
 */
public final class FencedWriteException extends KubeException {
  private static final long serialVersionUID = 1L;

  private final String item;
  private final String replica;
  private final String reason;

  public FencedWriteException(String item, String replica, ResourceKey key, String why) {
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
  }

  /** Why the claim is not this replica's any more (e.g. "the claim is held by 'replica-b'"). */
  public String reason() {
    return reason;
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
