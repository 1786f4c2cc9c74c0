package io.glidepath.appset.internal.gotemplate;

import io.glidepath.appset.TemplateException;
import io.glidepath.appset.TemplateException.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;

/** Go's literal syntax: quoted strings, characters and numbers, and {@code strconv.Quote}. */
final class GoStrings {
  private GoStrings() {}

  static String unquote(String quoted, int line) {
    StringBuilder b = new StringBuilder();
    int i = 1;
    int end = quoted.length() - 1;
    while (i < end) {
      char c = quoted.charAt(i);
      if (c != '\\') {
        b.append(c);
        i++;
        continue;
      }
      if (i + 1 >= end) {
        throw bad(line, quoted);
      }
      char e = quoted.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> b.append('\u0007');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'v' -> b.append('\u000b');
        case '\\' -> b.append('\\');
        case '"' -> b.append('"');
        case '\'' -> b.append('\'');
        case 'x' -> {
          b.append((char) hex(quoted, i, 2, line));
          i += 2;
        }
        case 'u' -> {
          b.appendCodePoint(hex(quoted, i, 4, line));
          i += 4;
        }
        case 'U' -> {
          b.appendCodePoint(hex(quoted, i, 8, line));
          i += 8;
        }
        default -> {
          if (e >= '0' && e <= '7' && i + 1 < end) {
            b.append((char) Integer.parseInt(quoted.substring(i - 1, i + 2), 8));
            i += 2;
          } else {
            throw bad(line, quoted);
          }
        }
      }
    }
    return b.toString();
  }

  static int unquoteChar(String quoted, int line) {
    String s = unquote(quoted, line);
    if (s.codePointCount(0, s.length()) != 1) {
      throw new TemplateException(
          Kind.PARSE, "template: :" + line + ": malformed character constant: " + quoted);
    }
    return s.codePointAt(0);
  }

  private static int hex(String s, int from, int n, int line) {
    if (from + n > s.length() - 1) {
      throw bad(line, s);
    }
    try {
      return Integer.parseInt(s.substring(from, from + n), 16);
    } catch (NumberFormatException e) {
      throw bad(line, s);
    }
  }

  private static TemplateException bad(int line, String s) {
    return new TemplateException(Kind.PARSE, "template: :" + line + ": bad quoted string " + s);
  }

  /** A number literal: a Long when it is an integer, else a Double. */
  static Object number(String text, int line) {
    String t = text.replace("_", "");
    boolean negative = t.startsWith("-");
    String body = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
    try {
      if (!body.chars().allMatch(c -> c < 128)) {
        // Go's number syntax is ASCII; Java's parsers would take other scripts' digits
        throw new NumberFormatException(text);
      }
      if (body.startsWith("0x") || body.startsWith("0X")) {
        long v = new BigInteger(body.substring(2), 16).longValueExact();
        return negative ? -v : v;
      }
      if (body.startsWith("0o") || body.startsWith("0O")) {
        long v = new BigInteger(body.substring(2), 8).longValueExact();
        return negative ? -v : v;
      }
      if (body.startsWith("0b") || body.startsWith("0B")) {
        long v = new BigInteger(body.substring(2), 2).longValueExact();
        return negative ? -v : v;
      }
      if (body.matches("[0-9]+")) {
        if (body.length() > 1 && body.startsWith("0")) {
          long v = new BigInteger(body.substring(1), 8).longValueExact();
          return negative ? -v : v;
        }
        long v = new BigInteger(body).longValueExact();
        return negative ? -v : v;
      }
      double d = new BigDecimal(body).doubleValue();
      return negative ? -d : d;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new TemplateException(
          Kind.PARSE, "template: :" + line + ": bad number syntax: \"" + text + "\"");
    }
  }

  /** Go's {@code strconv.Quote}. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 7 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case 11 -> b.append("\\v");
                default -> {
                  if (cp < 0x20 || cp == 0x7f) {
                    b.append(String.format("\\x%02x", cp));
                  } else if (Character.isISOControl(cp)
                      || Character.getType(cp) == Character.FORMAT) {
                    b.append(
                        cp > 0xffff ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp));
                  } else {
                    b.appendCodePoint(cp);
                  }
                }
              }
            });
    return b.append('"').toString();
  }
}
