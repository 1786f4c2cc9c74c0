package io.glidepath.kube.internal.shard;

import io.glidepath.kube.shard.ShardAssignment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * Argo CD's shard assignments ({@code legacy}, {@code round-robin}, {@code consistent-hashing}): a
 * key (Argo CD keys by cluster) goes to a shard number, and a shard number to a replica. Shards are
 * either the live replicas in sorted order (shard count = live replicas, Argo CD's dynamic
 * distribution) or fixed: a shard count and each replica's own number ({@code
 * ARGOCD_CONTROLLER_REPLICAS} and the StatefulSet ordinal); a fixed shard whose replica is not live
 * has no owner, as in Argo CD.
 */
public final class ArgoShardAssignment implements ShardAssignment {
  /** The algorithms, by Argo CD's names. */
  public enum Algorithm {
    LEGACY("legacy"),
    ROUND_ROBIN("round-robin"),
    CONSISTENT_HASHING("consistent-hashing");

    private final String argoName;

    Algorithm(String argoName) {
      this.argoName = argoName;
    }

    public String argoName() {
      return argoName;
    }
  }

  /** Argo CD's virtual nodes per shard on the consistent-hashing ring. */
  static final int RING_REPLICATION = 1000;

  private final Algorithm algorithm;
  private final int fixedShards; // 0: dynamic
  private final ToIntFunction<String> shardOf;

  public ArgoShardAssignment(Algorithm algorithm, int fixedShards, ToIntFunction<String> shardOf) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    if (fixedShards < 0) {
      throw new IllegalArgumentException("replicas must be >= 1, but was " + fixedShards);
    }
    this.fixedShards = fixedShards;
    this.shardOf = shardOf;
  }

  @Override
  public Optional<String> owner(String item, Collection<String> replicas) {
    return Optional.ofNullable(assign(Map.of(item, 1L), replicas).get(item));
  }

  @Override
  public boolean independentKeys() {
    return algorithm == Algorithm.LEGACY; // round-robin ranks all keys; the ring weighs by load
  }

  @Override
  public Map<String, String> assign(Map<String, Long> keys, Collection<String> replicas) {
    Map<Integer, String> byShard = new HashMap<>();
    int shards;
    List<String> sorted = new ArrayList<>(new TreeSet<>(replicas));
    if (fixedShards == 0) {
      shards = sorted.size();
      for (int i = 0; i < sorted.size(); i++) {
        byShard.put(i, sorted.get(i));
      }
    } else {
      shards = fixedShards;
      for (String r : sorted) {
        int s;
        try {
          s = shardOf.applyAsInt(r);
        } catch (IllegalArgumentException e) {
          continue; // no shard number: this replica owns nothing (documented)
        }
        if (s >= 0 && s < shards) {
          byShard.putIfAbsent(s, r); // two replicas on one shard: the first by name runs it
        }
      }
    }
    Map<String, String> out = new HashMap<>();
    if (shards == 0) {
      return out;
    }
    Map<String, Integer> shardOfKey = shards(algorithm, keys, shards);
    shardOfKey.forEach(
        (key, shard) -> {
          String r = byShard.get(shard);
          if (r != null) {
            out.put(key, r);
          }
        });
    return out;
  }

  /** The shard number of every key under {@code algorithm} with {@code shards} shards. */
  static Map<String, Integer> shards(Algorithm algorithm, Map<String, Long> keys, int shards) {
    Map<String, Integer> out = new HashMap<>();
    List<String> sorted = new ArrayList<>(keys.keySet());
    sorted.sort(ArgoShardAssignment::compareBytes); // Go sorts strings by their UTF-8 bytes
    switch (algorithm) {
      case LEGACY -> sorted.forEach(k -> out.put(k, legacy(k, shards)));
      case ROUND_ROBIN -> {
        // the key's rank among all keys, modulo the shards; "" (Argo CD's in-cluster) is shard 0
        for (int i = 0; i < sorted.size(); i++) {
          out.put(sorted.get(i), sorted.get(i).isEmpty() ? 0 : i % shards);
        }
      }
      case CONSISTENT_HASHING -> {
        Ring ring = new Ring(shards);
        for (String k : sorted) {
          if (k.isEmpty()) {
            out.put(k, 0);
            continue;
          }
          int shard = ring.leastLoaded(k);
          out.put(k, shard);
          ring.addLoad(shard, keys.get(k));
        }
      }
    }
    return out;
  }

  /** FNV-32a of the key modulo the shards; "" is shard 0. */
  static int legacy(String key, int shards) {
    if (key.isEmpty()) {
      return 0;
    }
    int h = 0x811c9dc5;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return (int) (Integer.toUnsignedLong(h) % shards);
  }

  static int compareBytes(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Consistent hashing with bounded loads as Argo CD runs it: each shard {@code s} has {@value
   * #RING_REPLICATION} points, {@code hash(s + i)}; a key goes to the first point after its hash
   * whose shard is under the load bound, {@code ceil(floor((total + 1) / shards) * 1.25)} (at least
   * 1), else to the next point after that one, and so on.
   */
  static final class Ring {
    private final TreeMap<Long, Integer> points = new TreeMap<>(Long::compareUnsigned);
    private final long[] load;
    private long total;

    Ring(int shards) {
      load = new long[shards];
      for (int s = 0; s < shards; s++) {
        for (int i = 0; i < RING_REPLICATION; i++) {
          points.put(hash(s + Integer.toString(i)), s); // a later shard wins a collision
        }
      }
    }

    static long hash(String key) {
      return Blake2b.hash64(key.getBytes(StandardCharsets.UTF_8));
    }

    int leastLoaded(String key) {
      long h = hash(key);
      while (true) {
        Map.Entry<Long, Integer> next = points.higherEntry(h);
        if (next == null) {
          next = points.firstEntry();
        }
        if (underBound(next.getValue())) {
          return next.getValue();
        }
        h = next.getKey();
      }
    }

    private boolean underBound(int shard) {
      long avg = (total + 1) / load.length;
      if (avg == 0) {
        avg = 1;
      }
      return load[shard] < Math.ceil(avg * 1.25);
    }

    void addLoad(int shard, long n) {
      load[shard] += n;
      total += n;
    }
  }

  @Override
  public String toString() {
    return algorithm.argoName() + (fixedShards == 0 ? "" : " over " + fixedShards + " shards");
  }
}
