package io.glidepath.kustomize.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * kustomize's content hash for generated ConfigMaps and Secrets, the suffix that makes a changed
 * ConfigMap get a new name (and so roll the workloads that use it).
 *
 * <p>kustomize encodes a JSON object with sorted keys, the way Go's {@code encoding/json} writes a
 * map: for a ConfigMap {@code kind}, {@code name} (always {@code ""} in kustomize v5, see {@link
 * #encode}), {@code data} (the map, or {@code ""} when absent) and {@code binaryData} when it is a
 * map; for a Secret also {@code type} ({@code ""} when absent) and {@code stringData} when it is a
 * map. It hashes that with SHA-256, keeps the first ten hex digits and replaces {@code 0 1 3 a e}
 * with {@code g h k m t} so that the suffix never looks like a number or a word.
 *
 * <p>Stateless and thread-safe.
 */
public final class NameHash {
  private NameHash() {}

  /** The suffix for {@code body}, a ConfigMap or Secret (by its {@code kind}). */
  public static String of(JsonNode body) {
    return suffix(encode(body));
  }

  /** The JSON kustomize hashes for {@code body}. */
  public static String encode(JsonNode body) {
    String kind = body.path("kind").asString("");
    Map<String, Object> m = new TreeMap<>();
    // kustomize v5 looks the name up with the single key "metadata/name", which never exists:
    // the name it hashes is always empty, so the suffix depends on the content only
    m.put("name", "");
    m.put("data", orEmpty(body.get("data")));
    if (kind.equals("Secret")) {
      m.put("kind", "Secret");
      m.put("type", orEmpty(body.get("type")));
      if (body.path("stringData").isObject()) {
        m.put("stringData", body.get("stringData"));
      }
    } else {
      m.put("kind", "ConfigMap");
      if (body.path("binaryData").isObject()) {
        m.put("binaryData", body.get("binaryData"));
      }
    }
    StringBuilder sb = new StringBuilder();
    writeMap(m, sb);
    return sb.toString();
  }

  private static Object orEmpty(JsonNode n) {
    if (n == null || n.isNull()) {
      return "";
    }
    return n;
  }

  /** Go's {@code encode(hex256(data))}. */
  public static String suffix(String json) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      hex.append(String.format("%02x", digest[i] & 0xff));
    }
    StringBuilder out = new StringBuilder(10);
    for (int i = 0; i < 10; i++) {
      char c = hex.charAt(i);
      out.append(
          switch (c) {
            case '0' -> 'g';
            case '1' -> 'h';
            case '3' -> 'k';
            case 'a' -> 'm';
            case 'e' -> 't';
            default -> c;
          });
    }
    return out.toString();
  }

  private static void writeMap(Map<String, Object> m, StringBuilder sb) {
    sb.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      goString(e.getKey(), sb);
      sb.append(':');
      Object v = e.getValue();
      if (v instanceof String s) {
        goString(s, sb);
      } else {
        writeNode((JsonNode) v, sb);
      }
    }
    sb.append('}');
  }

  private static void writeNode(JsonNode n, StringBuilder sb) {
    if (n.isObject()) {
      Map<String, Object> sorted = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        sorted.put(e.getKey(), e.getValue());
      }
      writeMap(sorted, sb);
    } else if (n.isArray()) {
      sb.append('[');
      boolean first = true;
      for (JsonNode item : n) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        writeNode(item, sb);
      }
      sb.append(']');
    } else if (n.isString()) {
      goString(n.stringValue(), sb);
    } else if (n.isNull()) {
      sb.append("null");
    } else {
      sb.append(n.asString());
    }
  }

  /** A string the way Go's encoding/json writes it (HTML-safe escaping). */
  static void goString(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
