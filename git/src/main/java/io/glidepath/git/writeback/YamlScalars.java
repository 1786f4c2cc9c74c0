package io.glidepath.git.writeback;

import java.util.regex.Pattern;

/**
 * How a string must be written so that kubectl and Helm (YAML 1.1) and YAML 1.2 parsers all read it
 * back as that same string.
 */
final class YamlScalars {
  private static final Pattern YAML11_BOOL =
      Pattern.compile(
          "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
              + "|on|On|ON|off|Off|OFF");
  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
  private static final Pattern YAML11_INT =
      Pattern.compile(
          "[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
              + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
  private static final Pattern YAML11_FLOAT =
      Pattern.compile(
          "[-+]?(?:[0-9][0-9_]*)?\\.[0-9._]*(?:[eE][-+]?[0-9]+)?"
              + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
              + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");
  private static final Pattern YAML12_NUMBER =
      Pattern.compile(
          "[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
              + "|[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?");
  private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*");
  private static final Pattern PLAIN_BLOCK =
      Pattern.compile("[\\p{L}\\p{N}_./][\\p{L}\\p{N}_./@:+=~-]*");
  private static final Pattern PLAIN_FLOW =
      Pattern.compile("[\\p{L}\\p{N}_./][\\p{L}\\p{N}_./@+=~-]*");

  private static final Pattern CANONICAL_INT = Pattern.compile("-?(?:0|[1-9][0-9]*)");
  private static final Pattern CANONICAL_FLOAT = Pattern.compile("-?[0-9]+\\.[0-9]+");
  private static final Pattern CANONICAL_BOOL = Pattern.compile("true|false");

  /** The type a plain scalar resolves to under YAML 1.1 (the strictest reading we must honour). */
  enum Kind {
    STRING,
    NULL,
    BOOL,
    INT,
    FLOAT,
    OTHER
  }

  private YamlScalars() {}

  static Kind plainKind(String value) {
    if (NULL.matcher(value).matches()) {
      return Kind.NULL;
    }
    if (YAML11_BOOL.matcher(value).matches()) {
      return Kind.BOOL;
    }
    if (YAML11_INT.matcher(value).matches()) {
      return Kind.INT;
    }
    if (YAML11_FLOAT.matcher(value).matches()) {
      return Kind.FLOAT;
    }
    if (YAML12_NUMBER.matcher(value).matches()) {
      return Kind.FLOAT;
    }
    if (TIMESTAMP.matcher(value).matches() || value.equals("<<") || value.equals("=")) {
      return Kind.OTHER;
    }
    return Kind.STRING;
  }

  /** Whether {@code value} can be written plain and still read as this string everywhere. */
  static boolean plainSafe(String value, boolean flow) {
    return (flow ? PLAIN_FLOW : PLAIN_BLOCK).matcher(value).matches()
        && !value.endsWith(":")
        && plainKind(value) == Kind.STRING;
  }

  /**
   * Whether {@code value} is the canonical literal of {@code kind}, so that replacing a plain
   * number or boolean with it keeps the value's type ({@code replicaCount: 3} to {@code 5}).
   */
  static boolean canonicalLiteralOf(Kind kind, String value) {
    return switch (kind) {
      case INT -> CANONICAL_INT.matcher(value).matches();
      case FLOAT -> CANONICAL_FLOAT.matcher(value).matches();
      case BOOL -> CANONICAL_BOOL.matcher(value).matches();
      default -> false;
    };
  }

  static String doubleQuoted(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
    value
        .codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                // \N, \L and \P are YAML escapes too, but not every parser knows them
                case 0x85 -> sb.append("\\u0085");
                case 0x2028 -> sb.append("\\u2028");
                case 0x2029 -> sb.append("\\u2029");
                default -> {
                  if (cp < 0x20 || cp == 0x7f) {
                    sb.append(String.format("\\x%02x", cp));
                  } else if (!printable(cp)) {
                    sb.append(String.format("\\u%04x", cp));
                  } else {
                    sb.appendCodePoint(cp);
                  }
                }
              }
            });
    return sb.append('"').toString();
  }

  /** Whether single quotes can hold {@code value} on one line. */
  static boolean singleQuotable(String value) {
    return value
        .codePoints()
        .allMatch(cp -> cp >= 0x20 && printable(cp) && cp != 0x85 && cp != 0x2028 && cp != 0x2029);
  }

  /** YAML's printable set, less the byte-order mark. */
  static boolean printable(int cp) {
    return cp == 0x9
        || cp == 0xa
        || cp == 0xd
        || (cp >= 0x20 && cp <= 0x7e)
        || cp == 0x85
        || (cp >= 0xa0 && cp <= 0xd7ff)
        || (cp >= 0xe000 && cp <= 0xfffd && cp != 0xfeff)
        || (cp >= 0x10000 && cp <= 0x10ffff);
  }

  /** Whether {@code value} has a lone surrogate, which no YAML file can hold. */
  static boolean hasLoneSurrogate(String value) {
    return value.codePoints().anyMatch(cp -> cp >= 0xd800 && cp <= 0xdfff);
  }

  static String singleQuoted(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /** A mapping key as it should be written in a new line. */
  static String key(String key) {
    return plainSafe(key, false) && key.indexOf(':') < 0 ? key : doubleQuoted(key);
  }
}
