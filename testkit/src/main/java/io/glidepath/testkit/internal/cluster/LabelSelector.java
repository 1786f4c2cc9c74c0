package io.glidepath.testkit.internal.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A label selector in the query-string syntax: {@code a=b}, {@code a==b}, {@code a!=b}, {@code a in
 * (x,y)}, {@code a notin (x,y)}, {@code a}, {@code !a}, joined by commas.
 */
public final class LabelSelector {
  private LabelSelector() {}

  /** Parses {@code selector}; a blank selector matches everything. */
  public static Predicate<Map<String, String>> parse(String selector) {
    List<Predicate<Map<String, String>>> parts = new ArrayList<>();
    for (String term : split(selector)) {
      String t = term.trim();
      if (t.isEmpty()) {
        continue;
      }
      parts.add(term(t));
    }
    return labels -> parts.stream().allMatch(p -> p.test(labels));
  }

  private static Predicate<Map<String, String>> term(String t) {
    String lower = t.replaceAll("\\s+", " ");
    int in = lower.indexOf(" in ");
    int notin = lower.indexOf(" notin ");
    if (notin > 0) {
      String key = lower.substring(0, notin).trim();
      Set<String> values = values(lower.substring(notin + 7));
      return labels -> !labels.containsKey(key) || !values.contains(labels.get(key));
    }
    if (in > 0) {
      String key = lower.substring(0, in).trim();
      Set<String> values = values(lower.substring(in + 4));
      return labels -> labels.containsKey(key) && values.contains(labels.get(key));
    }
    if (t.contains("!=")) {
      String[] kv = t.split("!=", 2);
      String key = kv[0].trim();
      String value = kv[1].trim();
      return labels -> !value.equals(labels.get(key));
    }
    if (t.contains("=")) {
      String[] kv = t.split("==?", 2);
      String key = kv[0].trim();
      String value = kv[1].trim();
      return labels -> value.equals(labels.get(key));
    }
    if (t.startsWith("!")) {
      String key = t.substring(1).trim();
      return labels -> !labels.containsKey(key);
    }
    return labels -> labels.containsKey(t);
  }

  private static Set<String> values(String parenthesised) {
    String inner = parenthesised.trim();
    if (inner.startsWith("(") && inner.endsWith(")")) {
      inner = inner.substring(1, inner.length() - 1);
    }
    Set<String> out = new java.util.HashSet<>();
    for (String v : inner.split(",")) {
      out.add(v.trim());
    }
    return out;
  }

  /** Splits at commas outside parentheses. */
  private static List<String> split(String selector) {
    List<String> out = new ArrayList<>();
    if (selector == null) {
      return out;
    }
    int depth = 0;
    StringBuilder cur = new StringBuilder();
    for (char c : selector.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
