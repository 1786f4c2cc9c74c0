package io.glidepath.core.internal.diff;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The managedFields spelling of field names ({@code f:replicas}), kept for the names seen most, so
 * that looking a field up in a field set neither builds a string nor hashes one per lookup.
 */
final class FieldNames {
  private static final int MAX_CACHE = 4096;
  private static final Map<String, String> PREFIXED = new ConcurrentHashMap<>();

  private FieldNames() {}

  /** {@code "f:" + name}. */
  static String prefixed(String name) {
    String f = PREFIXED.get(name);
    if (f == null) {
      f = "f:" + name;
      if (PREFIXED.size() < MAX_CACHE) {
        PREFIXED.put(name, f);
      }
    }
    return f;
  }
}
