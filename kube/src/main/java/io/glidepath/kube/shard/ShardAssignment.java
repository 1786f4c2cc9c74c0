package io.glidepath.kube.shard;

import io.glidepath.kube.internal.shard.ArgoShardAssignment;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Which replica owns a work item (an Application, a Rollout), given the live replicas.
 *
 * <pre>{@code
 * Optional<String> owner = ShardAssignment.rendezvous().owner("trade-service", members);
 * ShardAssignment argo = ShardAssignment.argo("round-robin");          // Argo CD's, dynamic
 * ShardAssignment fixed = ShardAssignment.argoFixed("legacy", 3,       // ARGOCD_CONTROLLER_REPLICAS=3
 *     ShardAssignment::shardFromName);                                  // glidepath-2 runs shard 2
 * }</pre>
 *
 * <p>An assignment maps shard keys to replicas; the manager's key of an item is its name unless it
 * is told otherwise ({@code ControllerManager.Builder#shardKey}; Argo CD keys by destination
 * cluster). Implementations are pure functions of the keys and the set of replicas (not of their
 * order), so every replica that sees the same members and keys computes the same owners.
 * Thread-safe.
 */
public interface ShardAssignment {
  /**
   * The owner of {@code item} among {@code replicas}; empty when there is none. For the assignments
   * that depend on the whole set of keys ({@code round-robin}, {@code consistent-hashing}) this is
   * the owner in a set of one: use {@link #assign}.
   */
  Optional<String> owner(String item, Collection<String> replicas);

  /**
   * The owner of each of {@code keys} among {@code replicas}; a key with no owner is absent. {@code
   * keys} maps each key to its load (how many items share it; {@code consistent-hashing} weighs by
   * it). Default: {@link #owner} of each key.
   */
  default Map<String, String> assign(Map<String, Long> keys, Collection<String> replicas) {
    Map<String, String> out = new HashMap<>();
    for (String k : keys.keySet()) {
      owner(k, replicas).ifPresent(r -> out.put(k, r));
    }
    return out;
  }

  /**
   * Whether each key's owner depends only on the key and the replicas, not on the other keys
   * (rendezvous, Argo CD's {@code legacy}): then a key offered later is assigned alone, without
   * computing every key's owner again. Default false (safe for any assignment).
   */
  default boolean independentKeys() {
    return false;
  }

  /**
   * Argo CD's shard assignment {@code algorithm} ({@code legacy}: FNV-32a of the key modulo the
   * shards; {@code round-robin}: the key's rank among all keys sorted, modulo the shards; {@code
   * consistent-hashing}: consistent hashing with bounded loads, 1000 points per shard on a BLAKE2b
   * ring, keys weighed by their load), with one shard per live replica, the replicas in sorted
   * order. The key {@code ""} (Argo CD's in-cluster destination without a Secret) is shard 0.
   * Unlike rendezvous, a replica joining or leaving moves most keys under {@code legacy} and {@code
   * round-robin}.
   *
   * @throws IllegalArgumentException for another name (Argo CD falls back to {@code legacy} with a
   *     warning; here a misspelt setting is refused)
   */
  static ShardAssignment argo(String algorithm) {
    return new ArgoShardAssignment(algorithm(algorithm), 0, null);
  }

  /**
   * Argo CD's {@code algorithm} over a fixed number of shards, as with {@code
   * ARGOCD_CONTROLLER_REPLICAS}: each replica runs the shard {@code shardOf} gives it (e.g. {@link
   * #shardFromName}, a StatefulSet ordinal), keys of a shard whose replica is not live have no
   * owner until it is back (no takeover, as in Argo CD), and a replica without a valid shard number
   * owns nothing. Two live replicas on one shard: the first by name runs it.
   */
  static ShardAssignment argoFixed(String algorithm, int replicas, ToIntFunction<String> shardOf) {
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be >= 1, but was " + replicas);
    }
    return new ArgoShardAssignment(
        algorithm(algorithm), replicas, Objects.requireNonNull(shardOf, "shardOf"));
  }

  /**
   * The shard number at the end of a replica's name, after the last {@code -}, as Argo CD infers it
   * from a StatefulSet pod's host name ({@code glidepath-2} -> 2).
   *
   * @throws IllegalArgumentException when the name does not end with {@code -<number>}
   */
  static int shardFromName(String replica) {
    int dash = replica.lastIndexOf('-');
    String tail = replica.substring(dash + 1);
    if (dash < 0
        || tail.isEmpty()
        || !tail.chars().allMatch(Character::isDigit)
        || tail.length() > 9) {
      throw new IllegalArgumentException(
          "replica name must end with the shard number separated by '-', but was '"
              + replica
              + "'");
    }
    return Integer.parseInt(tail);
  }

  private static ArgoShardAssignment.Algorithm algorithm(String name) {
    Objects.requireNonNull(name, "algorithm");
    for (ArgoShardAssignment.Algorithm a : ArgoShardAssignment.Algorithm.values()) {
      if (a.argoName().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "algorithm must be one of legacy, round-robin, consistent-hashing, but was '" + name + "'");
  }

  /**
   * Rendezvous (highest random weight) hashing: each replica scores the item with a 64-bit hash of
   * the pair and the highest score owns it. A replica joining takes about 1/N of the items, only
   * from the others, and one leaving hands only its own items to the rest; no ring, no virtual
   * nodes.
   */
  static ShardAssignment rendezvous() {
    return new ShardAssignment() {
      @Override
      public Optional<String> owner(String item, Collection<String> replicas) {
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
      }

      @Override
      public boolean independentKeys() {
        return true;
      }

      @Override
      public String toString() {
        return "rendezvous";
      }
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
