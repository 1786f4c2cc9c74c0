package io.glidepath.appset.internal.gotemplate;

import io.glidepath.appset.TemplateException;
import io.glidepath.appset.TemplateException.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The functions a template may call: Go's built-ins, the Sprig functions Argo CD allows (all of
 * {@code sprig.GenericFuncMap()} but {@code env}, {@code expandenv} and {@code getHostByName}) that
 * are deterministic, and Argo CD's own {@code normalize}, {@code slugify}, {@code toYaml}, {@code
 * fromYaml} and {@code fromYamlArray}. Sprig functions that depend on the clock, randomness or
 * cryptographic keys are known by name and refused as {@link Kind#UNSUPPORTED} when a template is
 * parsed.
 */
public final class Functions {
  private Functions() {}

  @FunctionalInterface
  interface Fn {
    Object apply(List<Object> args, GoExec exec);
  }

  private static final Map<String, Fn> FNS = new HashMap<>();

  /** Sprig functions Argo CD allows that this engine does not implement. */
  static final Set<String> UNSUPPORTED =
      Set.of(
          "ago",
          "date",
          "date_in_zone",
          "date_modify",
          "dateInZone",
          "dateModify",
          "duration",
          "durationRound",
          "htmlDate",
          "htmlDateInZone",
          "must_date_modify",
          "mustDateModify",
          "mustToDate",
          "now",
          "toDate",
          "unixEpoch",
          "randAlphaNum",
          "randAlpha",
          "randAscii",
          "randNumeric",
          "randInt",
          "randBytes",
          "shuffle",
          "uuidv4",
          "bcrypt",
          "htpasswd",
          "genPrivateKey",
          "derivePassword",
          "buildCustomCert",
          "genCA",
          "genCAWithKey",
          "genSelfSignedCert",
          "genSelfSignedCertWithKey",
          "genSignedCert",
          "genSignedCertWithKey",
          "encryptAES",
          "decryptAES",
          "semver",
          "semverCompare",
          "urlParse",
          "urlJoin",
          "osBase",
          "osClean",
          "osDir",
          "osExt",
          "osIsAbs",
          "call",
          "toDecimal",
          "typeIsLike",
          "hello");

  /** Every name a template may call. */
  public static Set<String> names() {
    return FNS.keySet();
  }

  static Object call(String name, List<Object> args, GoExec exec) {
    Fn f = FNS.get(name);
    if (f == null) {
      throw new TemplateException(Kind.EXECUTE, "function \"" + name + "\" not defined");
    }
    exec.step();
    return f.apply(args, exec);
  }

  private static TemplateException fail(String problem) {
    return new TemplateException(Kind.EXECUTE, problem);
  }

  private static void arity(String fn, List<Object> a, int n) {
    if (a.size() != n) {
      throw fail("wrong number of args for " + fn + ": want " + n + " got " + a.size());
    }
  }

  private static void atLeast(String fn, List<Object> a, int n) {
    if (a.size() < n) {
      throw fail("wrong number of args for " + fn + ": want at least " + n + " got " + a.size());
    }
  }

  /** A {@code string} parameter: Go refuses anything else. */
  static String str(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v == null || v == GoExec.MISSING) {
      throw fail("invalid value; expected string");
    }
    throw fail("wrong type for value; expected string; got " + GoFormat.typeName(v));
  }

  /** Sprig's {@code strval}: strings as they are, anything else as {@code %v}. */
  static String strval(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v == null || v == GoExec.MISSING) {
      return "<nil>";
    }
    return GoFormat.value(v);
  }

  /** An {@code int} parameter. */
  private static long intParam(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v == null || v == GoExec.MISSING) {
      throw fail("invalid value; expected int");
    }
    throw fail("wrong type for value; expected int; got " + GoFormat.typeName(v));
  }

  /** spf13/cast's ToInt64 as Sprig uses it: numbers truncated, strings parsed, else 0. */
  static long toInt64(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d) {
      return d.longValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (v instanceof String s) {
      try {
        String t = s.strip();
        if (t.startsWith("0x") || t.startsWith("0X")) {
          return Long.parseLong(t.substring(2), 16);
        }
        return Long.parseLong(t);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  static double toFloat64(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(String fn, Object v) {
    if (v instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw fail("Cannot find " + fn + " on type " + GoFormat.typeName(v));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> dict(String fn, Object v) {
    if (v instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw fail(
        "wrong type for value; expected map[string]interface {}; got " + GoFormat.typeName(v));
  }

  /** Sprig's {@code empty}. */
  static boolean empty(Object v) {
    return !GoExec.truth(v);
  }

  private static void put(String name, Fn fn) {
    FNS.put(name, fn);
  }

  static {
    builtins();
    strings();
    numbers();
    lists();
    dicts();
    encodings();
    misc();
  }

  // ------------------------------------------------------------------ Go built-ins

  private static void builtins() {
    // and/or are evaluated lazily by GoExec; these serve only as known names
    put("and", (a, e) -> null);
    put("or", (a, e) -> null);
    put(
        "not",
        (a, e) -> {
          arity("not", a, 1);
          return !GoExec.truth(a.get(0));
        });
    put(
        "len",
        (a, e) -> {
          arity("len", a, 1);
          Object v = a.get(0);
          if (v instanceof String s) {
            return (long) s.getBytes(StandardCharsets.UTF_8).length;
          }
          if (v instanceof List<?> l) {
            return (long) l.size();
          }
          if (v instanceof Map<?, ?> m) {
            return (long) m.size();
          }
          throw fail(
              "len of "
                  + (v == null || v == GoExec.MISSING
                      ? "nil pointer"
                      : "type " + GoFormat.typeName(v)));
        });
    put(
        "index",
        (a, e) -> {
          atLeast("index", a, 1);
          Object v = a.get(0);
          for (Object k : a.subList(1, a.size())) {
            if (v == null || v == GoExec.MISSING) {
              throw fail("index of untyped nil");
            }
            if (v instanceof Map<?, ?> m) {
              if (!(k instanceof String)) {
                throw fail("value has type " + GoFormat.typeName(k) + "; should be string");
              }
              v = m.containsKey(k) ? m.get(k) : null;
            } else if (v instanceof List<?> l) {
              if (!(k instanceof Long i)) {
                throw fail("cannot index slice/array with type " + GoFormat.typeName(k));
              }
              if (i < 0 || i >= l.size()) {
                throw fail("error calling index: index out of range: " + i);
              }
              v = l.get(i.intValue());
            } else if (v instanceof String s) {
              if (!(k instanceof Long i) || i < 0 || i >= s.length()) {
                throw fail("error calling index: index out of range: " + k);
              }
              v = (long) s.getBytes(StandardCharsets.UTF_8)[i.intValue()];
            } else {
              throw fail("can't index item of type " + GoFormat.typeName(v));
            }
          }
          return v;
        });
    put("slice", Functions::slice);
    put("print", (a, e) -> GoFormat.sprint(a));
    put("println", (a, e) -> GoFormat.sprintln(a));
    put(
        "printf",
        (a, e) -> {
          atLeast("printf", a, 1);
          return GoFormat.sprintf(str(a.get(0)), a.subList(1, a.size()));
        });
    put("eq", (a, e) -> eq(a));
    put(
        "ne",
        (a, e) -> {
          arity("ne", a, 2);
          return !eq(a);
        });
    put("lt", (a, e) -> compare("lt", a) < 0);
    put("le", (a, e) -> compare("le", a) <= 0);
    put("gt", (a, e) -> compare("gt", a) > 0);
    put("ge", (a, e) -> compare("ge", a) >= 0);
    put("html", (a, e) -> htmlEscape(GoFormat.sprint(a)));
    put("js", (a, e) -> jsEscape(GoFormat.sprint(a)));
    put(
        "urlquery",
        (a, e) ->
            java.net.URLEncoder.encode(GoFormat.sprint(a), StandardCharsets.UTF_8)
                .replace("*", "%2A")
                .replace("%7E", "~"));
  }

  private static Object slice(List<Object> a, GoExec e) {
    atLeast("slice", a, 1);
    Object v = a.get(0);
    int len;
    if (v instanceof List<?> l) {
      len = l.size();
    } else if (v instanceof String s) {
      len = s.length();
    } else {
      throw fail("can't slice item of type " + GoFormat.typeName(v));
    }
    long from = a.size() > 1 ? toIndex(a.get(1)) : 0;
    long to = a.size() > 2 ? toIndex(a.get(2)) : len;
    if (from < 0 || to > len || from > to) {
      throw fail("index out of range: " + (from > to ? from : to));
    }
    if (v instanceof List<?> l) {
      return new ArrayList<Object>(l.subList((int) from, (int) to));
    }
    return ((String) v).substring((int) from, (int) to);
  }

  private static long toIndex(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d) {
      return d.longValue();
    }
    throw fail("cannot index slice/array with type " + GoFormat.typeName(v));
  }

  private enum BasicKind {
    BOOL,
    INT,
    FLOAT,
    STRING,
    OTHER,
    INVALID
  }

  private static BasicKind kind(Object v) {
    if (v == null || v == GoExec.MISSING) {
      return BasicKind.INVALID;
    }
    if (v instanceof Boolean) {
      return BasicKind.BOOL;
    }
    if (v instanceof Long) {
      return BasicKind.INT;
    }
    if (v instanceof Double) {
      return BasicKind.FLOAT;
    }
    if (v instanceof String) {
      return BasicKind.STRING;
    }
    return BasicKind.OTHER;
  }

  /** Go's {@code eq}: true when the first argument equals any other. */
  private static boolean eq(List<Object> a) {
    if (a.size() < 2) {
      throw fail("missing argument for comparison");
    }
    Object x = a.get(0);
    BasicKind k1 = kind(x);
    for (Object y : a.subList(1, a.size())) {
      BasicKind k2 = kind(y);
      boolean truth;
      if (k1 != k2) {
        if (k1 != BasicKind.INVALID && k2 != BasicKind.INVALID) {
          throw fail("incompatible types for comparison");
        }
        truth = false;
      } else if (k1 == BasicKind.OTHER) {
        throw fail("non-comparable type " + GoFormat.value(x) + ": " + GoFormat.typeName(x));
      } else if (k1 == BasicKind.INVALID) {
        truth = true;
      } else {
        truth = x.equals(y);
      }
      if (truth) {
        return true;
      }
    }
    return false;
  }

  private static int compare(String fn, List<Object> a) {
    arity(fn, a, 2);
    Object x = a.get(0);
    Object y = a.get(1);
    BasicKind k1 = kind(x);
    BasicKind k2 = kind(y);
    if (k1 == BasicKind.OTHER || k1 == BasicKind.INVALID || k1 == BasicKind.BOOL) {
      throw fail("invalid type for comparison");
    }
    if (k1 != k2) {
      throw fail("incompatible types for comparison");
    }
    return switch (k1) {
      case INT -> Long.compare((Long) x, (Long) y);
      case FLOAT -> Double.compare((Double) x, (Double) y);
      default -> ((String) x).compareTo((String) y);
    };
  }

  private static String htmlEscape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("&#34;");
        case '\'' -> b.append("&#39;");
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case 0 -> b.append('\uFFFD');
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String jsEscape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\'' -> b.append("\\'");
        case '"' -> b.append("\\\"");
        case '<' -> b.append("\\u003C");
        case '>' -> b.append("\\u003E");
        case '&' -> b.append("\\u0026");
        case '=' -> b.append("\\u003D");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < ' ') {
            b.append(String.format("\\u%04X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ strings

  private static Fn str1(java.util.function.UnaryOperator<String> f) {
    return (a, e) -> {
      if (a.size() != 1) {
        throw fail("wrong number of args: want 1 got " + a.size());
      }
      return f.apply(str(a.get(0)));
    };
  }

  private static void strings() {
    put("upper", str1(s -> s.toUpperCase(Locale.ROOT)));
    put("lower", str1(s -> s.toLowerCase(Locale.ROOT)));
    put("title", str1(Functions::title));
    put("untitle", str1(Functions::untitle));
    put("trim", str1(String::strip));
    put("nospace", str1(s -> s.replaceAll("\\s+", "")));
    put("initials", str1(Functions::initials));
    put("swapcase", str1(Functions::swapcase));
    put("snakecase", str1(Functions::snakecase));
    put("kebabcase", str1(s -> snakecase(s).replace('_', '-')));
    put("camelcase", str1(Functions::camelcase));
    put("normalize", str1(Functions::normalize));
    put("sha1sum", str1(s -> digest("SHA-1", s)));
    put("sha256sum", str1(s -> digest("SHA-256", s)));
    put(
        "adler32sum",
        str1(
            s -> {
              java.util.zip.Adler32 ad = new java.util.zip.Adler32();
              ad.update(s.getBytes(StandardCharsets.UTF_8));
              return Long.toString(ad.getValue());
            }));
    put(
        "b64enc",
        str1(s -> Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))));
    put(
        "b64dec",
        str1(
            s -> {
              try {
                return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
              } catch (IllegalArgumentException ex) {
                return ex.getMessage();
              }
            }));
    put("b32enc", str1(Functions::base32));
    put(
        "trimAll",
        (a, e) -> {
          arity("trimAll", a, 2);
          return trimCutset(str(a.get(1)), str(a.get(0)));
        });
    FNS.put("trimall", FNS.get("trimAll"));
    put(
        "trimPrefix",
        (a, e) -> {
          arity("trimPrefix", a, 2);
          String p = str(a.get(0));
          String s = str(a.get(1));
          return s.startsWith(p) ? s.substring(p.length()) : s;
        });
    put(
        "trimSuffix",
        (a, e) -> {
          arity("trimSuffix", a, 2);
          String p = str(a.get(0));
          String s = str(a.get(1));
          return s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
        });
    put(
        "contains",
        (a, e) -> {
          arity("contains", a, 2);
          return str(a.get(1)).contains(str(a.get(0)));
        });
    put(
        "hasPrefix",
        (a, e) -> {
          arity("hasPrefix", a, 2);
          return str(a.get(1)).startsWith(str(a.get(0)));
        });
    put(
        "hasSuffix",
        (a, e) -> {
          arity("hasSuffix", a, 2);
          return str(a.get(1)).endsWith(str(a.get(0)));
        });
    put(
        "replace",
        (a, e) -> {
          arity("replace", a, 3);
          return str(a.get(2)).replace(str(a.get(0)), str(a.get(1)));
        });
    put(
        "repeat",
        (a, e) -> {
          arity("repeat", a, 2);
          long n = intParam(a.get(0));
          String s = str(a.get(1));
          if (n < 0) {
            throw fail("strings: negative Repeat count");
          }
          if (n * s.length() > e.options().maxOutput()) {
            throw new TemplateException(
                Kind.LIMIT,
                "repeat would build more than " + e.options().maxOutput() + " characters");
          }
          return s.repeat((int) n);
        });
    put(
        "substr",
        (a, e) -> {
          arity("substr", a, 3);
          long start = intParam(a.get(0));
          long end = intParam(a.get(1));
          String s = str(a.get(2));
          if (start < 0) {
            return s.substring(0, (int) Math.min(Math.max(end, 0), s.length()));
          }
          if (end < 0 || end > s.length()) {
            return start > s.length() ? "" : s.substring((int) start);
          }
          if (start > end) {
            throw fail("slice bounds out of range [" + start + ":" + end + "]");
          }
          return s.substring((int) start, (int) end);
        });
    put(
        "trunc",
        (a, e) -> {
          arity("trunc", a, 2);
          long c = intParam(a.get(0));
          String s = str(a.get(1));
          if (c < 0 && s.length() + c > 0) {
            return s.substring((int) (s.length() + c));
          }
          if (c >= 0 && s.length() > c) {
            return s.substring(0, (int) c);
          }
          return s;
        });
    put(
        "abbrev",
        (a, e) -> {
          arity("abbrev", a, 2);
          long w = intParam(a.get(0));
          String s = str(a.get(1));
          if (w < 4 || s.length() <= w) {
            return s;
          }
          return s.substring(0, (int) w - 3) + "...";
        });
    put(
        "indent",
        (a, e) -> {
          arity("indent", a, 2);
          String pad = " ".repeat((int) Math.max(0, intParam(a.get(0))));
          return pad + str(a.get(1)).replace("\n", "\n" + pad);
        });
    put(
        "nindent",
        (a, e) -> {
          arity("nindent", a, 2);
          String pad = " ".repeat((int) Math.max(0, intParam(a.get(0))));
          return "\n" + pad + str(a.get(1)).replace("\n", "\n" + pad);
        });
    put(
        "quote",
        (a, e) -> {
          List<String> out = new ArrayList<>();
          for (Object v : a) {
            if (v != null && v != GoExec.MISSING) {
              out.add(GoStrings.quote(strval(v)));
            }
          }
          return String.join(" ", out);
        });
    put(
        "squote",
        (a, e) -> {
          List<String> out = new ArrayList<>();
          for (Object v : a) {
            if (v != null && v != GoExec.MISSING) {
              out.add("'" + strval(v) + "'");
            }
          }
          return String.join(" ", out);
        });
    put(
        "cat",
        (a, e) -> {
          List<String> out = new ArrayList<>();
          for (Object v : a) {
            if (v != null && v != GoExec.MISSING) {
              out.add(strval(v));
            }
          }
          return String.join(" ", out);
        });
    put(
        "plural",
        (a, e) -> {
          arity("plural", a, 3);
          return intParam(a.get(2)) == 1 ? str(a.get(0)) : str(a.get(1));
        });
    put(
        "wrap",
        (a, e) -> {
          arity("wrap", a, 2);
          return wrap(str(a.get(1)), (int) intParam(a.get(0)), "\n");
        });
    put(
        "wrapWith",
        (a, e) -> {
          arity("wrapWith", a, 3);
          return wrap(str(a.get(2)), (int) intParam(a.get(0)), str(a.get(1)));
        });
    put(
        "toString",
        (a, e) -> {
          arity("toString", a, 1);
          return strval(a.get(0));
        });
    put(
        "splitList",
        (a, e) -> {
          arity("splitList", a, 2);
          return new ArrayList<Object>(split(str(a.get(1)), str(a.get(0)), -1));
        });
    put(
        "split",
        (a, e) -> {
          arity("split", a, 2);
          Map<String, Object> m = new LinkedHashMap<>();
          List<String> parts = split(str(a.get(1)), str(a.get(0)), -1);
          for (int i = 0; i < parts.size(); i++) {
            m.put("_" + i, parts.get(i));
          }
          return m;
        });
    put(
        "splitn",
        (a, e) -> {
          arity("splitn", a, 3);
          Map<String, Object> m = new LinkedHashMap<>();
          List<String> parts = split(str(a.get(2)), str(a.get(0)), (int) intParam(a.get(1)));
          for (int i = 0; i < parts.size(); i++) {
            m.put("_" + i, parts.get(i));
          }
          return m;
        });
    put(
        "join",
        (a, e) -> {
          arity("join", a, 2);
          return String.join(str(a.get(0)), strslice(a.get(1)));
        });
    put(
        "sortAlpha",
        (a, e) -> {
          arity("sortAlpha", a, 1);
          List<String> l = new ArrayList<>(strslice(a.get(0)));
          java.util.Collections.sort(l);
          return new ArrayList<Object>(l);
        });
    put(
        "toStrings",
        (a, e) -> {
          arity("toStrings", a, 1);
          return new ArrayList<Object>(strslice(a.get(0)));
        });
    put(
        "slugify",
        (a, e) -> {
          atLeast("slugify", a, 1);
          long max = 50;
          boolean smart = true;
          if (a.size() >= 2) {
            max = intParam(a.get(0));
          }
          if (a.size() >= 3) {
            if (!(a.get(1) instanceof Boolean b)) {
              throw fail("slugify: the second argument must be a bool");
            }
            smart = b;
          }
          return slugify(str(a.get(a.size() - 1)), (int) max, smart);
        });
    regex();
  }

  private static void regex() {
    put(
        "regexMatch",
        (a, e) -> {
          arity("regexMatch", a, 2);
          return regex(str(a.get(0))).matcher(str(a.get(1))).find();
        });
    FNS.put("mustRegexMatch", FNS.get("regexMatch"));
    put(
        "regexFind",
        (a, e) -> {
          arity("regexFind", a, 2);
          Matcher m = regex(str(a.get(0))).matcher(str(a.get(1)));
          return m.find() ? m.group() : "";
        });
    FNS.put("mustRegexFind", FNS.get("regexFind"));
    put(
        "regexFindAll",
        (a, e) -> {
          arity("regexFindAll", a, 3);
          Matcher m = regex(str(a.get(0))).matcher(str(a.get(1)));
          long n = intParam(a.get(2));
          List<Object> out = new ArrayList<>();
          while ((n < 0 || out.size() < n) && m.find()) {
            out.add(m.group());
          }
          return out;
        });
    FNS.put("mustRegexFindAll", FNS.get("regexFindAll"));
    put(
        "regexReplaceAll",
        (a, e) -> {
          arity("regexReplaceAll", a, 3);
          return regex(str(a.get(0)))
              .matcher(str(a.get(1)))
              .replaceAll(goReplacement(str(a.get(2))));
        });
    FNS.put("mustRegexReplaceAll", FNS.get("regexReplaceAll"));
    put(
        "regexReplaceAllLiteral",
        (a, e) -> {
          arity("regexReplaceAllLiteral", a, 3);
          return regex(str(a.get(0)))
              .matcher(str(a.get(1)))
              .replaceAll(Matcher.quoteReplacement(str(a.get(2))));
        });
    FNS.put("mustRegexReplaceAllLiteral", FNS.get("regexReplaceAllLiteral"));
    put(
        "regexSplit",
        (a, e) -> {
          arity("regexSplit", a, 3);
          long n = intParam(a.get(2));
          String[] parts = regex(str(a.get(0))).split(str(a.get(1)), n < 0 ? -1 : (int) n);
          return new ArrayList<Object>(List.of((Object[]) parts));
        });
    FNS.put("mustRegexSplit", FNS.get("regexSplit"));
    put("regexQuoteMeta", str1(s -> s.replaceAll("([\\\\.+*?()|\\[\\]{}^$])", "\\\\$1")));
  }

  private static Pattern regex(String re) {
    try {
      return Pattern.compile(re);
    } catch (PatternSyntaxException ex) {
      throw fail("error parsing regexp: " + ex.getDescription() + ": `" + re + "`");
    }
  }

  /** Go's {@code $1}/{@code ${name}} replacement syntax, with Java's escapes. */
  private static String goReplacement(String repl) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < repl.length(); i++) {
      char c = repl.charAt(i);
      if (c == '\\') {
        b.append("\\\\");
      } else if (c == '$' && i + 1 < repl.length() && repl.charAt(i + 1) == '$') {
        b.append("\\$");
        i++;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  static List<String> split(String s, String sep, int n) {
    List<String> out = new ArrayList<>();
    if (n == 0) {
      return out;
    }
    if (sep.isEmpty()) {
      s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
      return out;
    }
    int from = 0;
    while (n < 0 || out.size() < n - 1) {
      int at = s.indexOf(sep, from);
      if (at < 0) {
        break;
      }
      out.add(s.substring(from, at));
      from = at + sep.length();
    }
    out.add(s.substring(from));
    return out;
  }

  /** Sprig's {@code strslice}: a list's items as strings (nil items dropped), or one string. */
  static List<String> strslice(Object v) {
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      for (Object o : l) {
        if (o != null && o != GoExec.MISSING) {
          out.add(strval(o));
        }
      }
      return out;
    }
    if (v == null || v == GoExec.MISSING) {
      return out;
    }
    out.add(strval(v));
    return out;
  }

  private static String title(String s) {
    StringBuilder b = new StringBuilder();
    boolean prevLetter = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean letter = Character.isLetter(c) || Character.isDigit(c) || c == '_' || c == '\'';
      b.append(letter && !prevLetter ? Character.toTitleCase(c) : c);
      prevLetter = letter;
    }
    return b.toString();
  }

  private static String untitle(String s) {
    StringBuilder b = new StringBuilder();
    boolean prevSpace = true;
    for (char c : s.toCharArray()) {
      b.append(prevSpace ? Character.toLowerCase(c) : c);
      prevSpace = Character.isWhitespace(c);
    }
    return b.toString();
  }

  private static String initials(String s) {
    StringBuilder b = new StringBuilder();
    for (String w : s.strip().split("\\s+")) {
      if (!w.isEmpty()) {
        b.appendCodePoint(w.codePointAt(0));
      }
    }
    return b.toString();
  }

  private static String swapcase(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return b.toString();
  }

  /** xstrings' ToSnakeCase (as Sprig uses it): words split at case changes and separators. */
  static String snakecase(String s) {
    StringBuilder b = new StringBuilder();
    char[] cs = s.toCharArray();
    for (int i = 0; i < cs.length; i++) {
      char c = cs[i];
      if (c == ' ' || c == '-' || c == '_' || c == '.') {
        if (b.length() > 0 && b.charAt(b.length() - 1) != '_') {
          b.append('_');
        }
        continue;
      }
      if (Character.isUpperCase(c)) {
        boolean prevLower =
            i > 0 && (Character.isLowerCase(cs[i - 1]) || Character.isDigit(cs[i - 1]));
        boolean nextLower = i + 1 < cs.length && Character.isLowerCase(cs[i + 1]);
        boolean prevUpper = i > 0 && Character.isUpperCase(cs[i - 1]);
        if (b.length() > 0
            && b.charAt(b.length() - 1) != '_'
            && (prevLower || prevUpper && nextLower)) {
          b.append('_');
        }
        b.append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    String out = b.toString();
    return out.endsWith("_") ? out.substring(0, out.length() - 1) : out;
  }

  private static String camelcase(String s) {
    StringBuilder b = new StringBuilder();
    boolean up = true;
    for (char c : s.toCharArray()) {
      if (c == '_' || c == ' ' || c == '-') {
        up = true;
        continue;
      }
      b.append(up ? Character.toUpperCase(c) : c);
      up = false;
    }
    return b.toString();
  }

  /** Argo CD's SanitizeName ({@code normalize}, {@code nameNormalized}). */
  public static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT).replaceAll("[^-a-z0-9.]", "-");
    if (n.length() > 253) {
      n = n.substring(0, 253);
    }
    int from = 0;
    int to = n.length();
    while (from < to && (n.charAt(from) == '-' || n.charAt(from) == '.')) {
      from++;
    }
    while (to > from && (n.charAt(to - 1) == '-' || n.charAt(to - 1) == '.')) {
      to--;
    }
    return n.substring(from, to);
  }

  /** Argo CD's slugify: normalize, then gosimple/slug with the maximum length and truncation. */
  static String slugify(String name, int max, boolean smart) {
    String s = normalize(name).replaceAll("[^a-z0-9-_]+", "-").replaceAll("-+", "-");
    s = s.replaceAll("^[-_]+|[-_]+$", "");
    if (max > 0 && s.length() > max) {
      if (smart) {
        int cut = s.lastIndexOf('-', max);
        s = cut > 0 ? s.substring(0, cut) : s.substring(0, max);
      } else {
        s = s.substring(0, max);
      }
    }
    return s;
  }

  private static String trimCutset(String s, String cutset) {
    int from = 0;
    int to = s.length();
    while (from < to && cutset.indexOf(s.charAt(from)) >= 0) {
      from++;
    }
    while (to > from && cutset.indexOf(s.charAt(to - 1)) >= 0) {
      to--;
    }
    return s.substring(from, to);
  }

  private static String wrap(String s, int width, String nl) {
    StringBuilder b = new StringBuilder();
    int col = 0;
    for (String w : s.split(" ", -1)) {
      if (col > 0 && col + 1 + w.length() > width) {
        b.append(nl);
        col = 0;
      } else if (col > 0) {
        b.append(' ');
        col++;
      }
      b.append(w);
      col += w.length();
    }
    return b.toString();
  }

  private static String digest(String alg, String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException(alg + " is in every JDK", ex);
    }
  }

  private static String base32(String s) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    byte[] data = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte d : data) {
      buffer = (buffer << 8) | (d & 0xff);
      bits += 8;
      while (bits >= 5) {
        b.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      b.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    }
    while (b.length() % 8 != 0) {
      b.append('=');
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ numbers

  private static void numbers() {
    put(
        "add",
        (a, e) -> {
          long s = 0;
          for (Object v : a) {
            s += toInt64(v);
          }
          return s;
        });
    put(
        "add1",
        (a, e) -> {
          arity("add1", a, 1);
          return toInt64(a.get(0)) + 1;
        });
    put(
        "sub",
        (a, e) -> {
          arity("sub", a, 2);
          return toInt64(a.get(0)) - toInt64(a.get(1));
        });
    put(
        "mul",
        (a, e) -> {
          long s = 1;
          for (Object v : a) {
            s *= toInt64(v);
          }
          return s;
        });
    put(
        "div",
        (a, e) -> {
          arity("div", a, 2);
          long d = toInt64(a.get(1));
          if (d == 0) {
            throw fail("runtime error: integer divide by zero");
          }
          return toInt64(a.get(0)) / d;
        });
    put(
        "mod",
        (a, e) -> {
          arity("mod", a, 2);
          long d = toInt64(a.get(1));
          if (d == 0) {
            throw fail("runtime error: integer divide by zero");
          }
          return toInt64(a.get(0)) % d;
        });
    put(
        "max",
        (a, e) -> {
          atLeast("max", a, 1);
          long m = toInt64(a.get(0));
          for (Object v : a) {
            m = Math.max(m, toInt64(v));
          }
          return m;
        });
    FNS.put("biggest", FNS.get("max"));
    put(
        "min",
        (a, e) -> {
          atLeast("min", a, 1);
          long m = toInt64(a.get(0));
          for (Object v : a) {
            m = Math.min(m, toInt64(v));
          }
          return m;
        });
    put(
        "addf",
        (a, e) -> {
          double s = 0;
          for (Object v : a) {
            s += toFloat64(v);
          }
          return s;
        });
    put(
        "add1f",
        (a, e) -> {
          arity("add1f", a, 1);
          return toFloat64(a.get(0)) + 1;
        });
    put(
        "subf",
        (a, e) -> {
          atLeast("subf", a, 1);
          double s = toFloat64(a.get(0));
          for (Object v : a.subList(1, a.size())) {
            s -= toFloat64(v);
          }
          return s;
        });
    put(
        "mulf",
        (a, e) -> {
          double s = 1;
          for (Object v : a) {
            s *= toFloat64(v);
          }
          return s;
        });
    put(
        "divf",
        (a, e) -> {
          atLeast("divf", a, 1);
          double s = toFloat64(a.get(0));
          for (Object v : a.subList(1, a.size())) {
            s /= toFloat64(v);
          }
          return s;
        });
    put(
        "maxf",
        (a, e) -> {
          atLeast("maxf", a, 1);
          double m = toFloat64(a.get(0));
          for (Object v : a) {
            m = Math.max(m, toFloat64(v));
          }
          return m;
        });
    put(
        "minf",
        (a, e) -> {
          atLeast("minf", a, 1);
          double m = toFloat64(a.get(0));
          for (Object v : a) {
            m = Math.min(m, toFloat64(v));
          }
          return m;
        });
    put(
        "floor",
        (a, e) -> {
          arity("floor", a, 1);
          return Math.floor(toFloat64(a.get(0)));
        });
    put(
        "ceil",
        (a, e) -> {
          arity("ceil", a, 1);
          return Math.ceil(toFloat64(a.get(0)));
        });
    put(
        "round",
        (a, e) -> {
          atLeast("round", a, 2);
          double v = toFloat64(a.get(0));
          long places = toInt64(a.get(1));
          double roundOn = a.size() > 2 ? toFloat64(a.get(2)) : 0.5;
          double pow = Math.pow(10, places);
          double digit = pow * v;
          double whole = Math.floor(digit);
          double frac = digit - whole;
          return (frac >= roundOn ? Math.ceil(digit) : whole) / pow;
        });
    put(
        "int",
        (a, e) -> {
          arity("int", a, 1);
          return toInt64(a.get(0));
        });
    FNS.put("int64", FNS.get("int"));
    put(
        "float64",
        (a, e) -> {
          arity("float64", a, 1);
          return toFloat64(a.get(0));
        });
    put(
        "atoi",
        (a, e) -> {
          arity("atoi", a, 1);
          try {
            return Long.parseLong(str(a.get(0)));
          } catch (NumberFormatException ex) {
            return 0L;
          }
        });
    put(
        "until",
        (a, e) -> {
          arity("until", a, 1);
          long n = intParam(a.get(0));
          return untilStep(0, n, n < 0 ? -1 : 1, e);
        });
    put(
        "untilStep",
        (a, e) -> {
          arity("untilStep", a, 3);
          return untilStep(intParam(a.get(0)), intParam(a.get(1)), intParam(a.get(2)), e);
        });
    put(
        "seq",
        (a, e) -> {
          long start = 1;
          long end;
          long step = 1;
          switch (a.size()) {
            case 1 -> end = toInt64(a.get(0));
            case 2 -> {
              start = toInt64(a.get(0));
              end = toInt64(a.get(1));
            }
            case 3 -> {
              start = toInt64(a.get(0));
              step = toInt64(a.get(1));
              end = toInt64(a.get(2));
            }
            default -> {
              return "";
            }
          }
          if (a.size() < 3 && end < start) {
            step = -1;
          }
          List<String> out = new ArrayList<>();
          for (long i = start; step > 0 ? i <= end : i >= end; i += step) {
            e.step();
            out.add(Long.toString(i));
            if (step == 0) {
              break;
            }
          }
          return String.join(" ", out);
        });
  }

  private static List<Object> untilStep(long start, long stop, long step, GoExec e) {
    List<Object> out = new ArrayList<>();
    if (step == 0 || (step > 0 && start >= stop) || (step < 0 && start <= stop)) {
      return out;
    }
    for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
      e.step();
      out.add(i);
    }
    return out;
  }

  // ------------------------------------------------------------------ lists

  private static void lists() {
    put("list", (a, e) -> new ArrayList<>(a));
    FNS.put("tuple", FNS.get("list"));
    put(
        "first",
        (a, e) -> {
          arity("first", a, 1);
          List<Object> l = list("first", a.get(0));
          return l.isEmpty() ? null : l.get(0);
        });
    put(
        "last",
        (a, e) -> {
          arity("last", a, 1);
          List<Object> l = list("last", a.get(0));
          return l.isEmpty() ? null : l.get(l.size() - 1);
        });
    put(
        "rest",
        (a, e) -> {
          arity("rest", a, 1);
          List<Object> l = list("rest", a.get(0));
          return l.isEmpty() ? null : new ArrayList<>(l.subList(1, l.size()));
        });
    put(
        "initial",
        (a, e) -> {
          arity("initial", a, 1);
          List<Object> l = list("initial", a.get(0));
          return l.isEmpty() ? null : new ArrayList<>(l.subList(0, l.size() - 1));
        });
    put(
        "append",
        (a, e) -> {
          arity("append", a, 2);
          List<Object> l = new ArrayList<>(list("append", a.get(0)));
          l.add(a.get(1));
          return l;
        });
    FNS.put("push", FNS.get("append"));
    put(
        "prepend",
        (a, e) -> {
          arity("prepend", a, 2);
          List<Object> l = new ArrayList<>();
          l.add(a.get(1));
          l.addAll(list("prepend", a.get(0)));
          return l;
        });
    put(
        "concat",
        (a, e) -> {
          List<Object> l = new ArrayList<>();
          for (Object v : a) {
            l.addAll(list("concat", v));
          }
          return l;
        });
    put(
        "reverse",
        (a, e) -> {
          arity("reverse", a, 1);
          List<Object> l = new ArrayList<>(list("reverse", a.get(0)));
          java.util.Collections.reverse(l);
          return l;
        });
    put(
        "uniq",
        (a, e) -> {
          arity("uniq", a, 1);
          List<Object> out = new ArrayList<>();
          for (Object v : list("uniq", a.get(0))) {
            if (!out.contains(v)) {
              out.add(v);
            }
          }
          return out;
        });
    put(
        "without",
        (a, e) -> {
          atLeast("without", a, 1);
          List<Object> omit = a.subList(1, a.size());
          List<Object> out = new ArrayList<>();
          for (Object v : list("without", a.get(0))) {
            if (!omit.contains(v)) {
              out.add(v);
            }
          }
          return out;
        });
    put(
        "has",
        (a, e) -> {
          arity("has", a, 2);
          if (a.get(1) == null || a.get(1) == GoExec.MISSING) {
            return false;
          }
          return list("has", a.get(1)).contains(a.get(0));
        });
    put(
        "compact",
        (a, e) -> {
          arity("compact", a, 1);
          List<Object> out = new ArrayList<>();
          for (Object v : list("compact", a.get(0))) {
            if (!empty(v)) {
              out.add(v);
            }
          }
          return out;
        });
    put(
        "chunk",
        (a, e) -> {
          arity("chunk", a, 2);
          long size = intParam(a.get(0));
          List<Object> l = list("chunk", a.get(1));
          List<Object> out = new ArrayList<>();
          if (size <= 0) {
            return out;
          }
          for (int i = 0; i < l.size(); i += size) {
            out.add(new ArrayList<>(l.subList(i, (int) Math.min(l.size(), i + size))));
          }
          return out;
        });
    for (String n :
        List.of(
            "first", "last", "rest", "initial", "append", "push", "prepend", "reverse", "uniq",
            "without", "has", "compact", "chunk", "slice")) {
      String must = "must" + Character.toUpperCase(n.charAt(0)) + n.substring(1);
      FNS.put(must, FNS.get(n));
    }
  }

  // ------------------------------------------------------------------ dicts

  private static void dicts() {
    put(
        "dict",
        (a, e) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < a.size(); i += 2) {
            m.put(strval(a.get(i)), i + 1 < a.size() ? a.get(i + 1) : "");
          }
          return m;
        });
    put(
        "get",
        (a, e) -> {
          arity("get", a, 2);
          Map<String, Object> m = dict("get", a.get(0));
          String k = str(a.get(1));
          return m.containsKey(k) ? m.get(k) : "";
        });
    put(
        "set",
        (a, e) -> {
          arity("set", a, 3);
          dict("set", a.get(0)).put(str(a.get(1)), a.get(2));
          return a.get(0);
        });
    put(
        "unset",
        (a, e) -> {
          arity("unset", a, 2);
          dict("unset", a.get(0)).remove(str(a.get(1)));
          return a.get(0);
        });
    put(
        "hasKey",
        (a, e) -> {
          arity("hasKey", a, 2);
          return dict("hasKey", a.get(0)).containsKey(str(a.get(1)));
        });
    put(
        "keys",
        (a, e) -> {
          List<Object> out = new ArrayList<>();
          for (Object d : a) {
            out.addAll(dict("keys", d).keySet());
          }
          return out;
        });
    put(
        "values",
        (a, e) -> {
          arity("values", a, 1);
          return new ArrayList<>(dict("values", a.get(0)).values());
        });
    put(
        "pluck",
        (a, e) -> {
          atLeast("pluck", a, 1);
          String k = str(a.get(0));
          List<Object> out = new ArrayList<>();
          for (Object d : a.subList(1, a.size())) {
            Map<String, Object> m = dict("pluck", d);
            if (m.containsKey(k)) {
              out.add(m.get(k));
            }
          }
          return out;
        });
    put(
        "pick",
        (a, e) -> {
          atLeast("pick", a, 1);
          Map<String, Object> m = dict("pick", a.get(0));
          Map<String, Object> out = new LinkedHashMap<>();
          for (Object k : a.subList(1, a.size())) {
            String key = str(k);
            if (m.containsKey(key)) {
              out.put(key, m.get(key));
            }
          }
          return out;
        });
    put(
        "omit",
        (a, e) -> {
          atLeast("omit", a, 1);
          Map<String, Object> out = new LinkedHashMap<>(dict("omit", a.get(0)));
          for (Object k : a.subList(1, a.size())) {
            out.remove(str(k));
          }
          return out;
        });
    put(
        "merge",
        (a, e) -> {
          atLeast("merge", a, 1);
          Map<String, Object> dst = dict("merge", a.get(0));
          for (Object src : a.subList(1, a.size())) {
            mergeInto(dst, dict("merge", src), false, 0);
          }
          return dst;
        });
    put(
        "mergeOverwrite",
        (a, e) -> {
          atLeast("mergeOverwrite", a, 1);
          Map<String, Object> dst = dict("mergeOverwrite", a.get(0));
          for (Object src : a.subList(1, a.size())) {
            mergeInto(dst, dict("mergeOverwrite", src), true, 0);
          }
          return dst;
        });
    FNS.put("mustMerge", FNS.get("merge"));
    FNS.put("mustMergeOverwrite", FNS.get("mergeOverwrite"));
    put(
        "dig",
        (a, e) -> {
          atLeast("dig", a, 3);
          Map<String, Object> m = dict("dig", a.get(a.size() - 1));
          Object dflt = a.get(a.size() - 2);
          Object cur = m;
          for (Object k : a.subList(0, a.size() - 2)) {
            if (!(cur instanceof Map<?, ?> cm) || !cm.containsKey(str(k))) {
              return dflt;
            }
            cur = cm.get(str(k));
          }
          return cur;
        });
    put(
        "deepCopy",
        (a, e) -> {
          arity("deepCopy", a, 1);
          return deepCopy(a.get(0), 0);
        });
    FNS.put("mustDeepCopy", FNS.get("deepCopy"));
  }

  /** mergo's Merge: missing (or, with {@code override}, every) keys of dst taken from src. */
  @SuppressWarnings("unchecked")
  public static void mergeInto(
      Map<String, Object> dst, Map<String, Object> src, boolean override, int depth) {
    if (depth > 64) {
      throw new TemplateException(Kind.LIMIT, "maps nest more than 64 levels deep");
    }
    for (Map.Entry<String, Object> e : src.entrySet()) {
      Object d = dst.get(e.getKey());
      Object s = e.getValue();
      if (d instanceof Map<?, ?> dm && s instanceof Map<?, ?> sm) {
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) dm);
        mergeInto(copy, (Map<String, Object>) sm, override, depth + 1);
        dst.put(e.getKey(), copy);
      } else if (!dst.containsKey(e.getKey()) || empty(d) || override && !empty(s)) {
        dst.put(e.getKey(), s);
      }
    }
  }

  @SuppressWarnings("unchecked")
  static Object deepCopy(Object v, int depth) {
    if (depth > 64) {
      throw new TemplateException(Kind.LIMIT, "value nests more than 64 levels deep");
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<String, Object>) m).forEach((k, x) -> out.put(k, deepCopy(x, depth + 1)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(deepCopy(x, depth + 1));
      }
      return out;
    }
    return v;
  }

  // ------------------------------------------------------------------ encodings

  private static void encodings() {
    put(
        "toJson",
        (a, e) -> {
          arity("toJson", a, 1);
          return GoFormat.json(a.get(0), true, "");
        });
    put(
        "toRawJson",
        (a, e) -> {
          arity("toRawJson", a, 1);
          return GoFormat.json(a.get(0), false, "");
        });
    put(
        "toPrettyJson",
        (a, e) -> {
          arity("toPrettyJson", a, 1);
          return GoFormat.json(a.get(0), true, "  ");
        });
    FNS.put("mustToJson", FNS.get("toJson"));
    FNS.put("mustToRawJson", FNS.get("toRawJson"));
    FNS.put("mustToPrettyJson", FNS.get("toPrettyJson"));
    put(
        "fromJson",
        (a, e) -> {
          arity("fromJson", a, 1);
          try {
            return Values.fromJsonText(str(a.get(0)));
          } catch (RuntimeException ex) {
            return new LinkedHashMap<String, Object>();
          }
        });
    put(
        "mustFromJson",
        (a, e) -> {
          arity("mustFromJson", a, 1);
          try {
            return Values.fromJsonText(str(a.get(0)));
          } catch (RuntimeException ex) {
            throw fail("invalid JSON: " + ex.getMessage());
          }
        });
    put(
        "toYaml",
        (a, e) -> {
          arity("toYaml", a, 1);
          return GoYaml.write(a.get(0));
        });
    put(
        "fromYaml",
        (a, e) -> {
          arity("fromYaml", a, 1);
          Object v = Values.fromYamlText(str(a.get(0)));
          if (v == null) {
            return new LinkedHashMap<String, Object>();
          }
          if (!(v instanceof Map)) {
            throw fail(
                "error unmarshaling JSON: cannot unmarshal "
                    + GoFormat.typeName(v)
                    + " into Go value of type map[string]interface {}");
          }
          return v;
        });
    put(
        "fromYamlArray",
        (a, e) -> {
          arity("fromYamlArray", a, 1);
          Object v = Values.fromYamlText(str(a.get(0)));
          if (v == null) {
            return new ArrayList<Object>();
          }
          if (!(v instanceof List)) {
            throw fail(
                "error unmarshaling JSON: cannot unmarshal "
                    + GoFormat.typeName(v)
                    + " into Go value of type []interface {}");
          }
          return v;
        });
  }

  // ------------------------------------------------------------------ misc

  private static void misc() {
    put(
        "default",
        (a, e) -> {
          atLeast("default", a, 1);
          if (a.size() == 1) {
            return a.get(0);
          }
          Object given = a.get(1);
          return empty(given) ? a.get(0) : given;
        });
    put(
        "empty",
        (a, e) -> {
          arity("empty", a, 1);
          return empty(a.get(0));
        });
    put(
        "coalesce",
        (a, e) -> {
          for (Object v : a) {
            if (!empty(v)) {
              return v;
            }
          }
          return null;
        });
    put(
        "all",
        (a, e) -> {
          for (Object v : a) {
            if (empty(v)) {
              return false;
            }
          }
          return true;
        });
    put(
        "any",
        (a, e) -> {
          for (Object v : a) {
            if (!empty(v)) {
              return true;
            }
          }
          return a.isEmpty() ? false : false;
        });
    put(
        "ternary",
        (a, e) -> {
          arity("ternary", a, 3);
          if (!(a.get(2) instanceof Boolean b)) {
            throw fail("wrong type for value; expected bool; got " + GoFormat.typeName(a.get(2)));
          }
          return b ? a.get(0) : a.get(1);
        });
    put(
        "fail",
        (a, e) -> {
          arity("fail", a, 1);
          throw fail(str(a.get(0)));
        });
    put(
        "typeOf",
        (a, e) -> {
          arity("typeOf", a, 1);
          return GoFormat.typeName(a.get(0));
        });
    put(
        "kindOf",
        (a, e) -> {
          arity("kindOf", a, 1);
          return GoFormat.kindName(a.get(0));
        });
    put(
        "typeIs",
        (a, e) -> {
          arity("typeIs", a, 2);
          return str(a.get(0)).equals(GoFormat.typeName(a.get(1)));
        });
    put(
        "kindIs",
        (a, e) -> {
          arity("kindIs", a, 2);
          return str(a.get(0)).equals(GoFormat.kindName(a.get(1)));
        });
    put(
        "deepEqual",
        (a, e) -> {
          arity("deepEqual", a, 2);
          return java.util.Objects.equals(a.get(0), a.get(1));
        });
    put("base", str1(s -> pathBase(s)));
    put("dir", str1(s -> pathDir(s)));
    put("clean", str1(Functions::pathClean));
    put(
        "ext",
        str1(
            s -> {
              String b = s;
              for (int i = b.length() - 1; i >= 0 && b.charAt(i) != '/'; i--) {
                if (b.charAt(i) == '.') {
                  return b.substring(i);
                }
              }
              return "";
            }));
    put(
        "isAbs",
        (a, e) -> {
          arity("isAbs", a, 1);
          return str(a.get(0)).startsWith("/");
        });
  }

  /** Go's {@code path.Base}. */
  public static String pathBase(String p) {
    if (p.isEmpty()) {
      return ".";
    }
    String s = p;
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.equals("/")) {
      return "/";
    }
    int i = s.lastIndexOf('/');
    return i >= 0 ? s.substring(i + 1) : s;
  }

  /** Go's {@code path.Dir}. */
  public static String pathDir(String p) {
    int i = p.lastIndexOf('/');
    return pathClean(i >= 0 ? p.substring(0, i + 1) : "");
  }

  /** Go's {@code path.Clean}. */
  public static String pathClean(String p) {
    if (p.isEmpty()) {
      return ".";
    }
    boolean rooted = p.startsWith("/");
    List<String> out = new ArrayList<>();
    for (String part : p.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
          out.remove(out.size() - 1);
        } else if (!rooted) {
          out.add("..");
        }
        continue;
      }
      out.add(part);
    }
    String joined = String.join("/", out);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }

  /** Names declared here (for tests and docs). */
  static Set<String> implemented() {
    return new LinkedHashSet<>(FNS.keySet());
  }
}
