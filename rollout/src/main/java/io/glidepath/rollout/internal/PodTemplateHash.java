package io.glidepath.rollout.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A stable short hash of a pod template: FNV-1a over its canonical JSON (keys sorted), written with
 * Kubernetes' safe alphabet (no vowels, no look-alike digits), 10 characters.
 */
public final class PodTemplateHash {
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private PodTemplateHash() {}

  public static String of(JsonNode template) {
    StringBuilder canonical = new StringBuilder();
    write(template, canonical);
    long hash = 0xcbf29ce484222325L;
    for (byte b : canonical.toString().getBytes(StandardCharsets.UTF_8)) {
      hash ^= (b & 0xff);
      hash *= 0x100000001b3L;
    }
    StringBuilder out = new StringBuilder();
    long v = hash;
    for (int i = 0; i < 10; i++) {
      out.append(ALPHABET.charAt((int) Long.remainderUnsigned(v, ALPHABET.length())));
      v = Long.divideUnsigned(v, ALPHABET.length());
    }
    return out.toString();
  }

  private static void write(JsonNode n, StringBuilder out) {
    if (n.isObject()) {
      List<String> keys = new ArrayList<>(n.propertyNames());
      Collections.sort(keys);
      out.append('{');
      for (String k : keys) {
        out.append('"').append(k).append("\":");
        write(n.get(k), out);
        out.append(',');
      }
      out.append('}');
    } else if (n.isArray()) {
      out.append('[');
      for (JsonNode e : n) {
        write(e, out);
        out.append(',');
      }
      out.append(']');
    } else {
      out.append(n.toString());
    }
  }
}
