package io.glidepath.testkit.metrics;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request {@link FakeMetricsServer} received.
 *
 * @param method the HTTP method
 * @param rawPath the path as sent (percent-encoded)
 * @param rawQuery the query string as sent, or ""
 * @param query the decoded query parameters
 * @param headers the headers, names in lower case, several values joined with {@code ,}
 * @param body the body bytes
 */
public record RecordedRequest(
    String method,
    String rawPath,
    String rawQuery,
    Map<String, List<String>> query,
    Map<String, String> headers,
    byte[] body) {
  public RecordedRequest {
    query = Map.copyOf(query);
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** A header, or "" (case-insensitive). */
  public String header(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
  }

  /** The first value of a query parameter, or "". */
  public String param(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? "" : v.get(0);
  }

  /** Omits the body and credentials-bearing headers. */
  @Override
  public String toString() {
    return method + " " + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
  }
}
