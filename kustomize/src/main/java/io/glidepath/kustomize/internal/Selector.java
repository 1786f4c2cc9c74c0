package io.glidepath.kustomize.internal;

import io.glidepath.kustomize.KustomizeException.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kubernetes label selector in its string form: {@code app=web,tier!=db,env in (a,b),!legacy,
 * team}. Used for patch targets' {@code labelSelector} and {@code annotationSelector}.
 */
final class Selector {
  private record Req(String key, String op, Set<String> values) {}

  private final List<Req> reqs;

  private Selector(List<Req> reqs) {
    this.reqs = reqs;
  }

  static Selector parse(Kust k, String entry, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    List<Req> reqs = new ArrayList<>();
    for (String part : splitTopLevel(text)) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      java.util.regex.Matcher set =
          java.util.regex.Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$").matcher(p);
      if (set.matches()) {
        Set<String> values = new java.util.HashSet<>();
        for (String v : set.group(3).split(",")) {
          values.add(v.strip());
        }
        reqs.add(new Req(set.group(1), set.group(2), values));
      } else if (p.contains("!=")) {
        String[] kv = p.split("!=", 2);
        reqs.add(new Req(kv[0].strip(), "!=", Set.of(kv[1].strip())));
      } else if (p.contains("==")) {
        String[] kv = p.split("==", 2);
        reqs.add(new Req(kv[0].strip(), "=", Set.of(kv[1].strip())));
      } else if (p.contains("=")) {
        String[] kv = p.split("=", 2);
        reqs.add(new Req(kv[0].strip(), "=", Set.of(kv[1].strip())));
      } else if (p.startsWith("!")) {
        reqs.add(new Req(p.substring(1).strip(), "!exists", Set.of()));
      } else if (p.matches("[-A-Za-z0-9_./]+")) {
        reqs.add(new Req(p, "exists", Set.of()));
      } else {
        throw k.error(
            entry, Problem.INVALID_VALUE, "\"" + text + "\" is not a valid selector", null);
      }
    }
    return new Selector(reqs);
  }

  private static List<String> splitTopLevel(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    StringBuilder cur = new StringBuilder();
    for (char c : s.toCharArray()) {
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

  boolean matches(Map<String, String> labels) {
    for (Req r : reqs) {
      String v = labels.get(r.key());
      boolean ok =
          switch (r.op()) {
            case "=" -> v != null && r.values().contains(v);
            case "!=" -> v == null || !r.values().contains(v);
            case "in" -> v != null && r.values().contains(v);
            case "notin" -> v == null || !r.values().contains(v);
            case "exists" -> v != null;
            default -> v == null;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
