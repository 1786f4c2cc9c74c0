package io.glidepath.testkit.internal.cluster;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request URI split into the parts of a Kubernetes resource path.
 *
 * @param group API group ("" for core); empty for non-resource paths
 * @param version API version; "" for {@code /api} and {@code /apis}
 * @param namespace namespace or ""
 * @param plural the resource plural or "" for a group-version discovery path
 * @param name the object name or ""
 * @param subresource e.g. {@code status}, or ""
 * @param query decoded query parameters (the last value wins)
 * @param resourcePath whether the path is under {@code /api} or {@code /apis}
 */
public record RequestPath(
    String group,
    String version,
    String namespace,
    String plural,
    String name,
    String subresource,
    Map<String, String> query,
    boolean resourcePath,
    String rawPath) {

  /** Parses {@code uri} (path and query). */
  public static RequestPath parse(String uri) {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    Map<String, String> query = new LinkedHashMap<>();
    if (q >= 0) {
      int start = q + 1;
      while (start <= uri.length()) {
        int end = uri.indexOf('&', start);
        if (end < 0) {
          end = uri.length();
        }
        if (end > start) {
          int eq = uri.indexOf('=', start);
          if (eq < 0 || eq > end) {
            query.put(decode(uri.substring(start, end)), "");
          } else {
            query.put(decode(uri.substring(start, eq)), decode(uri.substring(eq + 1, end)));
          }
        }
        start = end + 1;
      }
    }
    List<String> parts = new ArrayList<>(8);
    int start = 0;
    while (start < path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      if (end > start) {
        parts.add(decode(path.substring(start, end)));
      }
      start = end + 1;
    }
    if (parts.isEmpty() || !(parts.get(0).equals("api") || parts.get(0).equals("apis"))) {
      return new RequestPath("", "", "", "", "", "", query, false, path);
    }
    String group;
    int i;
    if (parts.get(0).equals("api")) {
      group = "";
      i = 1;
    } else {
      if (parts.size() < 2) {
        return new RequestPath("", "", "", "", "", "", query, true, path);
      }
      group = parts.get(1);
      i = 2;
    }
    String version = i < parts.size() ? parts.get(i++) : "";
    String namespace = "";
    if (i + 1 < parts.size() && parts.get(i).equals("namespaces") && i + 2 < parts.size()) {
      namespace = parts.get(i + 1);
      i += 2;
    }
    String plural = i < parts.size() ? parts.get(i++) : "";
    String name = i < parts.size() ? parts.get(i++) : "";
    String sub = i < parts.size() ? parts.get(i) : "";
    return new RequestPath(group, version, namespace, plural, name, sub, query, true, path);
  }

  /** URL-decodes {@code s}; most parts need no decoding, so they are returned as they are. */
  private static String decode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** A query parameter. */
  public Optional<String> param(String key) {
    return Optional.ofNullable(query.get(key)).filter(v -> !v.isEmpty());
  }

  /** Whether {@code dryRun=All} was asked for. */
  public boolean dryRun() {
    return "All".equals(query.get("dryRun"));
  }
}
