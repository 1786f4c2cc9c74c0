package io.glidepath.appset.internal.gotemplate;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Argo CD's {@code toYaml}: {@code sigs.k8s.io/yaml.Marshal} (JSON first, so keys sorted and
 * numbers as JSON writes them, then go-yaml v2 block style: two-space indents, list items at their
 * key's indent, strings plain unless they would read as something else), without the final newline.
 * An approximation of go-yaml's emitter for the values templates handle.
 */
final class GoYaml {
  private GoYaml() {}

  private static final Pattern PLAIN_UNSAFE =
      Pattern.compile(
          "^$|^[\\s]|[\\s]$|^[-?:,\\[\\]{}#&*!|>'\"%@`]|: |:$| #|[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]");
  private static final Pattern RESOLVES =
      Pattern.compile(
          "(?i)^(y|yes|n|no|true|false|on|off|null|~)$"
              + "|^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"
              + "|^[-+]?\\.(inf|nan)$|^0x[0-9a-fA-F]+$|^0o?[0-7]+$|^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?$");

  static String write(Object v) {
    StringBuilder b = new StringBuilder();
    if (v instanceof Map<?, ?> m && !m.isEmpty()) {
      map(b, m, 0);
    } else if (v instanceof List<?> l && !l.isEmpty()) {
      list(b, l, 0);
    } else {
      b.append(scalar(v, 0)).append('\n');
    }
    String s = b.toString();
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  private static void map(StringBuilder b, Map<?, ?> m, int indent) {
    for (Map.Entry<String, Object> e : GoFormat.sorted(m).entrySet()) {
      b.append(" ".repeat(indent)).append(key(e.getKey())).append(':');
      value(b, e.getValue(), indent, false);
    }
  }

  private static void list(StringBuilder b, List<?> l, int indent) {
    for (Object o : l) {
      b.append(" ".repeat(indent)).append('-');
      value(b, o, indent, true);
    }
  }

  private static void value(StringBuilder b, Object v, int indent, boolean inList) {
    if (v instanceof Map<?, ?> m && !m.isEmpty()) {
      if (inList) {
        // the first key on the dash's line, the others under it
        StringBuilder inner = new StringBuilder();
        map(inner, m, indent + 2);
        b.append(' ').append(inner.substring(indent + 2));
      } else {
        b.append('\n');
        map(b, m, indent + 2);
      }
    } else if (v instanceof List<?> l && !l.isEmpty()) {
      b.append('\n');
      list(b, l, inList ? indent + 2 : indent);
    } else {
      b.append(' ').append(scalar(v, indent + 2)).append('\n');
    }
  }

  private static String key(String k) {
    return plainOk(k) ? k : quote(k);
  }

  private static String scalar(Object v, int indent) {
    if (v == null || v == GoExec.MISSING) {
      return "null";
    }
    if (v instanceof Map) {
      return "{}";
    }
    if (v instanceof List) {
      return "[]";
    }
    if (v instanceof String s) {
      if (s.contains("\n")) {
        String pad = " ".repeat(indent);
        StringBuilder b = new StringBuilder(s.endsWith("\n") ? "|" : "|-");
        for (String line : s.split("\n", -1)) {
          b.append('\n');
          if (!line.isEmpty()) {
            b.append(pad).append(line);
          }
        }
        String out = b.toString();
        return s.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
      }
      return plainOk(s) ? s : quote(s);
    }
    if (v instanceof Double d) {
      // through JSON: integral floats are written as integers
      String json = GoFormat.json(d, false, "");
      return json;
    }
    return GoFormat.value(v);
  }

  private static boolean plainOk(String s) {
    return !PLAIN_UNSAFE.matcher(s).find() && !RESOLVES.matcher(s).matches();
  }

  private static String quote(String s) {
    if (RESOLVES.matcher(s).matches() || s.isEmpty()) {
      return "\"" + s + "\"";
    }
    return "'" + s.replace("'", "''") + "'";
  }
}
