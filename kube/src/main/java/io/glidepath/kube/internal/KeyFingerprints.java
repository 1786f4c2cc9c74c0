package io.glidepath.kube.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A set of object keys (an informer's {@code namespace/name} strings) kept as 64-bit fingerprints
 * in one open-addressing table: about 16 bytes per key where a {@code String} in a hash set takes
 * over 100. For the shared cache's record of the objects it does not keep whole, which it needs
 * only to answer "is there an object at this key".
 *
 * <p>Fingerprints are keyed with a random seed per set, so which keys collide cannot be chosen from
 * outside. Two keys collide with a chance of about 2<sup>-64</sup> per pair (for a million keys in
 * one kind, about one in 10<sup>7</sup> that any pair does); a collision makes {@link #contains}
 * answer yes for an absent key (the caller then reads, as without the set), or, after one of two
 * colliding present keys is removed, no for the other.
 *
 * <p>Not thread-safe: the owner synchronizes.
 */
final class KeyFingerprints {
  private static final int MIN_CAPACITY = 16;

  private final long seed = ThreadLocalRandom.current().nextLong();
  // 0 marks a free slot; a key whose fingerprint is 0 is stored as 1
  private long[] slots = new long[MIN_CAPACITY];
  private int size;

  /** Adds {@code key}; true if it was not there. */
  boolean add(String key) {
    long f = fingerprint(key);
    int i = find(f);
    if (slots[i] == f) {
      return false;
    }
    slots[i] = f;
    if (++size * 4 > slots.length * 3) {
      resize(slots.length * 2);
    }
    return true;
  }

  /** Removes {@code key}; true if it was there. */
  boolean remove(String key) {
    long f = fingerprint(key);
    int i = find(f);
    if (slots[i] != f) {
      return false;
    }
    // backward-shift deletion: no tombstones, so lookups stay short after many removals
    int mask = slots.length - 1;
    int hole = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      long g = slots[j];
      if (g == 0) {
        break;
      }
      int home = home(g);
      // g may move into the hole if its home is not in the cyclic range (hole, j]
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        slots[hole] = g;
        hole = j;
      }
    }
    slots[hole] = 0;
    size--;
    if (slots.length > MIN_CAPACITY && size * 8 < slots.length) {
      resize(slots.length / 2);
    }
    return true;
  }

  boolean contains(String key) {
    long f = fingerprint(key);
    return slots[find(f)] == f;
  }

  int size() {
    return size;
  }

  /** The slot holding {@code f}, or the free slot where it would go. */
  private int find(long f) {
    int mask = slots.length - 1;
    int i = home(f);
    while (slots[i] != 0 && slots[i] != f) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private int home(long f) {
    return (int) (f ^ (f >>> 32)) & (slots.length - 1);
  }

  private void resize(int capacity) {
    long[] old = slots;
    slots = new long[capacity];
    for (long f : old) {
      if (f != 0) {
        slots[find(f)] = f;
      }
    }
  }

  private long fingerprint(String key) {
    long h = seed ^ (key.length() * 0x9E3779B97F4A7C15L);
    for (int i = 0; i < key.length(); i++) {
      h = (h ^ key.charAt(i)) * 0x100000001B3L;
      h ^= h >>> 31;
    }
    // MurmurHash3's finalizer: every input bit reaches every output bit
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }
}
