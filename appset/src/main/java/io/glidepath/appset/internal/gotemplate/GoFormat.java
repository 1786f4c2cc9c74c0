package io.glidepath.appset.internal.gotemplate;

import io.glidepath.appset.TemplateException;
import io.glidepath.appset.TemplateException.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's {@code fmt} for the values templates handle (string, bool, int, float64, map, slice, nil):
 * {@code %v} printing, {@code Sprint}, {@code Sprintln}, the common {@code Sprintf} verbs, Go type
 * names, and {@code encoding/json} output (sorted keys, HTML-safe escapes).
 */
public final class GoFormat {
  private GoFormat() {}

  /** {@code fmt.Sprint(v)} of one value ({@code %v}). */
  public static String value(Object v) {
    StringBuilder b = new StringBuilder();
    value(b, v, 0);
    return b.toString();
  }

  private static void value(StringBuilder b, Object v, int depth) {
    if (depth > 64) {
      throw new TemplateException(Kind.LIMIT, "value nests more than 64 levels deep");
    }
    if (v == null || v == GoExec.MISSING) {
      b.append("<nil>");
    } else if (v instanceof String s) {
      b.append(s);
    } else if (v instanceof Double d) {
      b.append(floatG(d));
    } else if (v instanceof Map<?, ?> m) {
      b.append("map[");
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted(m).entrySet()) {
        if (!first) {
          b.append(' ');
        }
        first = false;
        b.append(e.getKey()).append(':');
        value(b, e.getValue(), depth + 1);
      }
      b.append(']');
    } else if (v instanceof List<?> l) {
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          b.append(' ');
        }
        value(b, l.get(i), depth + 1);
      }
      b.append(']');
    } else {
      b.append(v);
    }
  }

  static Map<String, Object> sorted(Map<?, ?> m) {
    Map<String, Object> out = new TreeMap<>();
    m.forEach((k, val) -> out.put(String.valueOf(k), val));
    return out;
  }

  /**
   * Go's {@code %v} of a float64 ({@code strconv} 'g' with the shortest digits): the exponent form
   * when the exponent is below -4 or at least 6, so 1000000 prints as {@code 1e+06}, as in Go.
   */
  static String floatG(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0" : "0";
    }
    String[] de = shortest(d);
    int exp = Integer.parseInt(de[1]);
    String sign = d < 0 ? "-" : "";
    return sign + (exp < -4 || exp >= 6 ? eForm(de[0], exp) : fForm(de[0], exp));
  }

  /** The shortest decimal digits of |d| and the exponent of the first digit. */
  private static String[] shortest(double d) {
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - 1 - bd.scale();
    return new String[] {digits, Integer.toString(exp)};
  }

  private static String eForm(String digits, int exp) {
    StringBuilder b = new StringBuilder();
    b.append(digits.charAt(0));
    if (digits.length() > 1) {
      b.append('.').append(digits, 1, digits.length());
    }
    b.append('e').append(exp < 0 ? '-' : '+');
    int a = Math.abs(exp);
    if (a < 10) {
      b.append('0');
    }
    return b.append(a).toString();
  }

  private static String fForm(String digits, int exp) {
    if (exp < 0) {
      return "0." + "0".repeat(-exp - 1) + digits;
    }
    if (digits.length() <= exp + 1) {
      return digits + "0".repeat(exp + 1 - digits.length());
    }
    return digits.substring(0, exp + 1) + "." + digits.substring(exp + 1);
  }

  /** Go's type name of a value ({@code %T}). */
  static String typeName(Object v) {
    if (v == null || v == GoExec.MISSING) {
      return "<nil>";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (v instanceof Long) {
      return "int";
    }
    if (v instanceof Double) {
      return "float64";
    }
    if (v instanceof Map) {
      return "map[string]interface {}";
    }
    if (v instanceof List) {
      return "[]interface {}";
    }
    return v.getClass().getSimpleName();
  }

  /** Go's reflect kind name ({@code kindOf}). */
  static String kindName(Object v) {
    if (v == null || v == GoExec.MISSING) {
      return "invalid";
    }
    if (v instanceof Map) {
      return "map";
    }
    if (v instanceof List) {
      return "slice";
    }
    return typeName(v);
  }

  /** {@code fmt.Sprint(args...)}: spaces between operands when neither side is a string. */
  static String sprint(List<Object> args) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (i > 0 && !(a instanceof String) && !(args.get(i - 1) instanceof String)) {
        b.append(' ');
      }
      value(b, a, 0);
    }
    return b.toString();
  }

  /** {@code fmt.Sprintln(args...)}. */
  static String sprintln(List<Object> args) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        b.append(' ');
      }
      value(b, args.get(i), 0);
    }
    return b.append('\n').toString();
  }

  /**
   * {@code fmt.Sprintf}: verbs v s d q x X f F e g t T c o b and %%, with flags, width, precision.
   */
  static String sprintf(String format, List<Object> args) {
    StringBuilder b = new StringBuilder();
    int argi = 0;
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c != '%') {
        b.append(c);
        i++;
        continue;
      }
      i++;
      if (i >= format.length()) {
        b.append("%!(NOVERB)");
        break;
      }
      boolean minus = false;
      boolean plus = false;
      boolean zero = false;
      boolean space = false;
      boolean sharp = false;
      while (i < format.length() && "-+0 #".indexOf(format.charAt(i)) >= 0) {
        switch (format.charAt(i)) {
          case '-' -> minus = true;
          case '+' -> plus = true;
          case '0' -> zero = true;
          case ' ' -> space = true;
          default -> sharp = true;
        }
        i++;
      }
      int width = -1;
      int start = i;
      while (i < format.length() && isDigit(format.charAt(i))) {
        i++;
      }
      if (i > start) {
        width = Integer.parseInt(format.substring(start, i));
      }
      int prec = -1;
      if (i < format.length() && format.charAt(i) == '.') {
        i++;
        start = i;
        while (i < format.length() && isDigit(format.charAt(i))) {
          i++;
        }
        prec = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
      }
      if (i >= format.length()) {
        b.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(i++);
      if (verb == '%') {
        b.append('%');
        continue;
      }
      if (argi >= args.size()) {
        b.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object a = args.get(argi++);
      String s = formatOne(verb, a, prec, plus, space, sharp);
      if (width > s.length()) {
        String pad = " ".repeat(width - s.length());
        if (minus) {
          s = s + pad;
        } else if (zero && isNumericVerb(verb) && !(a instanceof String)) {
          String sign = s.startsWith("-") || s.startsWith("+") ? s.substring(0, 1) : "";
          s = sign + "0".repeat(width - s.length()) + s.substring(sign.length());
        } else {
          s = pad + s;
        }
      }
      b.append(s);
    }
    if (argi < args.size()) {
      b.append("%!(EXTRA ");
      List<String> extra = new ArrayList<>();
      for (int k = argi; k < args.size(); k++) {
        extra.add(typeName(args.get(k)) + "=" + value(args.get(k)));
      }
      b.append(String.join(", ", extra)).append(')');
    }
    return b.toString();
  }

  private static boolean isNumericVerb(char v) {
    return "dxXfFeEgGob".indexOf(v) >= 0;
  }

  private static String formatOne(
      char verb, Object a, int prec, boolean plus, boolean space, boolean sharp) {
    switch (verb) {
      case 'v':
        if (a instanceof String s && sharp) {
          return GoStrings.quote(s);
        }
        return withSign(value(a), plus && (a instanceof Long || a instanceof Double));
      case 's':
        {
          if (a instanceof String || a instanceof List || a instanceof Map) {
            String s = value(a);
            return prec >= 0 && prec < s.length() ? s.substring(0, prec) : s;
          }
          return "%!s(" + typeName(a) + "=" + value(a) + ")";
        }
      case 'q':
        if (a instanceof String s) {
          return GoStrings.quote(s);
        }
        if (a instanceof Long l) {
          return "'" + new String(Character.toChars(l.intValue())) + "'";
        }
        return bad(verb, a);
      case 'd':
        if (a instanceof Long l) {
          return withSign(Long.toString(l), plus);
        }
        return bad(verb, a);
      case 'x':
      case 'X':
        {
          String s;
          if (a instanceof Long l) {
            s = (l < 0 ? "-" : "") + Long.toHexString(Math.abs(l));
          } else if (a instanceof String str) {
            StringBuilder h = new StringBuilder();
            for (byte by : str.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
              h.append(String.format("%02x", by));
            }
            s = h.toString();
          } else {
            return bad(verb, a);
          }
          if (sharp) {
            s = "0x" + s;
          }
          return verb == 'X' ? s.toUpperCase(java.util.Locale.ROOT) : s;
        }
      case 'o':
        if (a instanceof Long l) {
          return Long.toOctalString(l);
        }
        return bad(verb, a);
      case 'b':
        if (a instanceof Long l) {
          return Long.toBinaryString(l);
        }
        return bad(verb, a);
      case 'c':
        if (a instanceof Long l) {
          return new String(Character.toChars(l.intValue()));
        }
        return bad(verb, a);
      case 't':
        if (a instanceof Boolean bo) {
          return bo.toString();
        }
        return bad(verb, a);
      case 'T':
        return typeName(a);
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G':
        {
          if (!(a instanceof Double) && !(a instanceof Long)) {
            return bad(verb, a);
          }
          if (a instanceof Long) {
            return bad(verb, a);
          }
          double d = (Double) a;
          String s;
          if (verb == 'f' || verb == 'F') {
            s =
                new BigDecimal(d)
                    .setScale(prec < 0 ? 6 : prec, java.math.RoundingMode.HALF_EVEN)
                    .toPlainString();
          } else if (verb == 'e' || verb == 'E') {
            s = String.format(java.util.Locale.ROOT, "%." + (prec < 0 ? 6 : prec) + "e", d);
            s = s.replaceAll("e([+-])(\\d)$", "e$10$2");
          } else {
            s = prec < 0 ? floatG(d) : String.format(java.util.Locale.ROOT, "%." + prec + "g", d);
          }
          if (verb == 'E' || verb == 'G') {
            s = s.toUpperCase(java.util.Locale.ROOT);
          }
          return withSign(s, plus || space && !s.startsWith("-"));
        }
      default:
        throw new TemplateException(
            Kind.UNSUPPORTED,
            "printf verb %" + verb + " is not supported by Glidepath's Go template engine");
    }
  }

  private static String withSign(String s, boolean plus) {
    return plus && !s.startsWith("-") ? "+" + s : s;
  }

  // fmt reads a width or precision of ASCII digits only
  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String bad(char verb, Object a) {
    return "%!" + verb + "(" + typeName(a) + "=" + value(a) + ")";
  }

  // ------------------------------------------------------------------ JSON

  /** Go's {@code json.Marshal} ({@code escapeHtml}) or {@code MarshalIndent(v, "", indent)}. */
  public static String json(Object v, boolean escapeHtml, String indent) {
    StringBuilder b = new StringBuilder();
    json(b, v, escapeHtml, indent, 0);
    return b.toString();
  }

  private static void json(StringBuilder b, Object v, boolean html, String indent, int depth) {
    if (depth > 64) {
      throw new TemplateException(Kind.LIMIT, "value nests more than 64 levels deep");
    }
    if (v == null || v == GoExec.MISSING) {
      b.append("null");
    } else if (v instanceof String s) {
      jsonString(b, s, html);
    } else if (v instanceof Boolean || v instanceof Long) {
      b.append(v);
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw new TemplateException(Kind.EXECUTE, "json: unsupported value: " + floatG(d));
      }
      double abs = Math.abs(d);
      String s;
      if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
        String[] de = shortest(d);
        s = (d < 0 ? "-" : "") + eForm(de[0], Integer.parseInt(de[1]));
        s = s.replaceAll("e-0(\\d)$", "e-$1");
      } else {
        s = new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
      }
      b.append(s);
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        b.append("{}");
        return;
      }
      b.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted(m).entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        newline(b, indent, depth + 1);
        jsonString(b, e.getKey(), html);
        b.append(':');
        if (!indent.isEmpty()) {
          b.append(' ');
        }
        json(b, e.getValue(), html, indent, depth + 1);
      }
      newline(b, indent, depth);
      b.append('}');
    } else if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        b.append("[]");
        return;
      }
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        newline(b, indent, depth + 1);
        json(b, l.get(i), html, indent, depth + 1);
      }
      newline(b, indent, depth);
      b.append(']');
    } else {
      jsonString(b, v.toString(), html);
    }
  }

  private static void newline(StringBuilder b, String indent, int depth) {
    if (!indent.isEmpty()) {
      b.append('\n').append(indent.repeat(depth));
    }
  }

  private static void jsonString(StringBuilder b, String s, boolean html) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20
              || html && (c == '<' || c == '>' || c == '&')
              || c == '\u2028'
              || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
