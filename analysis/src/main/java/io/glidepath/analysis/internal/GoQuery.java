package io.glidepath.analysis.internal;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Query strings the way Go's {@code net/url} reads and writes them ({@code url.ParseQuery}, {@code
 * Values.Encode}): keys sorted, {@code QueryEscape} encoding (only {@code A-Z a-z 0-9 - _ . ~} stay
 * as they are; a space is {@code +}). Providers whose Argo counterpart rebuilds a query string this
 * way (Graphite) send the same bytes.
 */
public final class GoQuery {
  private GoQuery() {}

  /** Parses {@code a=1&b=2} (values URL-decoded) into sorted keys with their values in order. */
  public static Map<String, List<String>> parse(String query) {
    Map<String, List<String>> out = new TreeMap<>();
    for (String part : query.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k = eq < 0 ? part : part.substring(0, eq);
      String v = eq < 0 ? "" : part.substring(eq + 1);
      out.computeIfAbsent(decode(k), x -> new ArrayList<>()).add(decode(v));
    }
    return out;
  }

  /** Encodes sorted keys and their values, Go's {@code Values.Encode}. */
  public static String encode(Map<String, List<String>> values) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<String>> e : new TreeMap<>(values).entrySet()) {
      for (String v : e.getValue()) {
        if (sb.length() > 0) {
          sb.append('&');
        }
        sb.append(escape(e.getKey())).append('=').append(escape(v));
      }
    }
    return sb.toString();
  }

  /** Go's {@code url.QueryEscape}. */
  public static String escape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.write(c);
      } else if (c == ' ') {
        out.write('+');
      } else {
        out.write('%');
        out.write(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.write(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid escape in query string: '" + s + "'", e);
    }
  }
}
