package io.glidepath.testkit.internal.cluster;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
      for (String pair : uri.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        String v = eq < 0 ? "" : pair.substring(eq + 1);
        query.put(decode(k), decode(v));
      }
    }
    List<String> parts =
        Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).map(RequestPath::decode).toList();
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

  private static String decode(String s) {
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
