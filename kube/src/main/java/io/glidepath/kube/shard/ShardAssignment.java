package io.glidepath.kube.shard;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Which replica owns a work item (an Application, a Rollout), given the live replicas.
 *
 * <pre>{@code
 * Optional<String> owner = ShardAssignment.rendezvous().owner("trade-service", members);
 * }</pre>
 *
 * <p>Implementations are pure functions of the item and the set of replicas (not of their order),
 * so every replica that sees the same members computes the same owner. Thread-safe.
 */
@FunctionalInterface
public interface ShardAssignment {
  /** The owner of {@code item} among {@code replicas}; empty when there is none. */
  Optional<String> owner(String item, Collection<String> replicas);

  /**
   * Rendezvous (highest random weight) hashing: each replica scores the item with a 64-bit hash of
   * the pair and the highest score owns it. A replica joining takes about 1/N of the items, only
   * from the others, and one leaving hands only its own items to the rest; no ring, no virtual
   * nodes.
   */
  static ShardAssignment rendezvous() {
    return (item, replicas) -> {
      Objects.requireNonNull(item, "item");
      String best = null;
      long bestScore = 0;
      for (String r : replicas) {
        long score = score(r, item);
        if (best == null
            || Long.compareUnsigned(score, bestScore) > 0
            || (score == bestScore && r.compareTo(best) < 0)) {
          best = r;
          bestScore = score;
        }
      }
      return Optional.ofNullable(best);
    };
  }

  /** FNV-1a over the pair's UTF-8 bytes, finished with SplitMix64's mixer for an even spread. */
  private static long score(String replica, String item) {
    long h = 0xcbf29ce484222325L;
    for (byte b : replica.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ 0xff) * 0x100000001b3L; // a separator no UTF-8 string contains
    for (byte b : item.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
