package io.glidepath.core.internal.yaml;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * Resolves plain scalars the way kubectl and Helm do: go-yaml v2's YAML 1.1 rules, read through
 * sigs.k8s.io/yaml.
 *
 * <p>The table, from go-yaml v2's {@code resolve.go}:
 *
 * <ul>
 *   <li>null: empty, {@code ~}, {@code null Null NULL}
 *   <li>bool: {@code y Y yes Yes YES on On ON true True TRUE} and {@code n N no No NO off Off OFF
 *       false False FALSE}
 *   <li>float: {@code .inf .Inf .INF} with optional sign, {@code .nan .NaN .NAN}
 *   <li>int: Go's {@code ParseInt(s, 0, 64)} after removing {@code _}: decimal with sign, {@code
 *       0x} hex, leading-{@code 0} or {@code 0o} octal, {@code 0b} binary; then unsigned 64-bit
 *   <li>float: {@code [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?}
 *   <li>everything else, and every quoted scalar: string. Timestamps stay strings, as go-yaml v2
 *       keeps them when decoding into an untyped value.
 * </ul>
 */
public final class Yaml11Resolver implements ScalarResolver, Schema {
  public static final Yaml11Resolver INSTANCE = new Yaml11Resolver();

  private static final Pattern FLOAT =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final BigInteger UINT64_MAX =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private static final Map<String, Object> WORDS =
      Map.ofEntries(
          Map.entry("~", Null.NULL),
          Map.entry("null", Null.NULL),
          Map.entry("Null", Null.NULL),
          Map.entry("NULL", Null.NULL),
          Map.entry("y", true),
          Map.entry("Y", true),
          Map.entry("yes", true),
          Map.entry("Yes", true),
          Map.entry("YES", true),
          Map.entry("on", true),
          Map.entry("On", true),
          Map.entry("ON", true),
          Map.entry("true", true),
          Map.entry("True", true),
          Map.entry("TRUE", true),
          Map.entry("n", false),
          Map.entry("N", false),
          Map.entry("no", false),
          Map.entry("No", false),
          Map.entry("NO", false),
          Map.entry("off", false),
          Map.entry("Off", false),
          Map.entry("OFF", false),
          Map.entry("false", false),
          Map.entry("False", false),
          Map.entry("FALSE", false),
          Map.entry(".inf", Double.POSITIVE_INFINITY),
          Map.entry(".Inf", Double.POSITIVE_INFINITY),
          Map.entry(".INF", Double.POSITIVE_INFINITY),
          Map.entry("+.inf", Double.POSITIVE_INFINITY),
          Map.entry("+.Inf", Double.POSITIVE_INFINITY),
          Map.entry("+.INF", Double.POSITIVE_INFINITY),
          Map.entry("-.inf", Double.NEGATIVE_INFINITY),
          Map.entry("-.Inf", Double.NEGATIVE_INFINITY),
          Map.entry("-.INF", Double.NEGATIVE_INFINITY),
          Map.entry(".nan", Double.NaN),
          Map.entry(".NaN", Double.NaN),
          Map.entry(".NAN", Double.NaN));

  /** Marker for a resolved null. */
  public enum Null {
    NULL
  }

  private Yaml11Resolver() {}

  /**
   * The value a plain scalar stands for: {@link Null#NULL}, a {@link Boolean}, a {@link Long} or
   * {@link BigInteger}, a {@link Double}, or the {@link String} itself.
   */
  public static Object resolvePlain(String value) {
    if (value.isEmpty()) {
      return Null.NULL;
    }
    Object word = WORDS.get(value);
    if (word != null) {
      return word;
    }
    char first = value.charAt(0);
    if ((first >= '0' && first <= '9') || first == '+' || first == '-' || first == '.') {
      Object number = parseNumber(value);
      if (number != null) {
        return number;
      }
    }
    return value;
  }

  /** Parses an integer or float by go-yaml v2's rules, or returns null when it is neither. */
  public static Object parseNumber(String value) {
    String plain = value.replace("_", "");
    Object integer = parseGoInt(plain);
    if (integer != null) {
      return integer;
    }
    if (FLOAT.matcher(plain).matches()) {
      try {
        double d = Double.parseDouble(plain);
        // Go's ParseFloat fails with a range error where Java overflows to infinity, and go-yaml
        // then keeps the scalar a string
        return Double.isInfinite(d) ? null : d;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (plain.startsWith("0b") || plain.startsWith("-0b")) {
      boolean negative = plain.startsWith("-");
      String digits = stripLeadingZeros(plain.substring(negative ? 3 : 2));
      if (digits.length() <= 64
          && !plain.substring(negative ? 3 : 2).isEmpty()
          && digits.chars().allMatch(c -> c == '0' || c == '1')) {
        return narrow(
            new BigInteger(digits, 2)
                .multiply(negative ? BigInteger.ONE.negate() : BigInteger.ONE));
      }
    }
    return null;
  }

  /** Go's {@code strconv.ParseInt(s, 0, 64)}, falling back to {@code ParseUint}. */
  private static Object parseGoInt(String s) {
    if (s.isEmpty()) {
      return null;
    }
    int i = 0;
    boolean negative = false;
    if (s.charAt(0) == '+' || s.charAt(0) == '-') {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    String rest = s.substring(i);
    int radix = 10;
    String digits = rest;
    String lower = rest.toLowerCase(Locale.ROOT);
    if (lower.startsWith("0x")) {
      radix = 16;
      digits = rest.substring(2);
    } else if (lower.startsWith("0o")) {
      radix = 8;
      digits = rest.substring(2);
    } else if (lower.startsWith("0b")) {
      radix = 2;
      digits = rest.substring(2);
    } else if (rest.length() > 1 && rest.charAt(0) == '0') {
      radix = 8;
      digits = rest.substring(1);
    }
    if (digits.isEmpty()) {
      return null;
    }
    for (int k = 0; k < digits.length(); k++) {
      if (asciiDigit(digits.charAt(k), radix) < 0) {
        return null;
      }
    }
    // Bound the length before BigInteger (quadratic in the digits): more significant digits than
    // an unsigned 64-bit number has is out of Go's range, so not an integer
    String significant = stripLeadingZeros(digits);
    if (significant.length() > maxDigits(radix)) {
      return null;
    }
    BigInteger magnitude =
        significant.isEmpty() ? BigInteger.ZERO : new BigInteger(significant, radix);
    BigInteger v = negative ? magnitude.negate() : magnitude;
    if (v.bitLength() < 64) {
      return v.longValue();
    }
    if (!negative && v.compareTo(UINT64_MAX) <= 0) {
      return v;
    }
    return null;
  }

  /**
   * The value of digit {@code c} in {@code radix}, or -1: ASCII digits and letters only, as Go's
   * {@code strconv} reads them ({@link Character#digit} takes any script's digits too, so that
   * {@code 1\u0660} would read as 10 where kubectl keeps it a string).
   */
  private static int asciiDigit(char c, int radix) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'z') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'Z') {
      d = c - 'A' + 10;
    } else {
      return -1;
    }
    return d < radix ? d : -1;
  }

  private static String stripLeadingZeros(String digits) {
    int i = 0;
    while (i < digits.length() && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  /** The most digits of an unsigned 64-bit number in {@code radix}. */
  private static int maxDigits(int radix) {
    return switch (radix) {
      case 2 -> 64;
      case 8 -> 22;
      case 16 -> 16;
      default -> 20;
    };
  }

  private static Object narrow(BigInteger v) {
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  @Override
  public Tag resolve(String value, Boolean implicit) {
    if (!implicit) {
      return Tag.STR;
    }
    Object resolved = resolvePlain(value);
    if (resolved == Null.NULL) {
      return Tag.NULL;
    }
    if (resolved instanceof Boolean) {
      return Tag.BOOL;
    }
    if (resolved instanceof Double) {
      return Tag.FLOAT;
    }
    if (resolved instanceof Long || resolved instanceof BigInteger) {
      return Tag.INT;
    }
    return Tag.STR;
  }

  @Override
  public ScalarResolver getScalarResolver() {
    return this;
  }

  @Override
  public Map<Tag, ConstructNode> getSchemaTagConstructors() {
    // Glidepath converts nodes itself (NodeConverter); the constructor is never used.
    return Map.of();
  }
}
