package io.glidepath.core.internal.diff;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Kubernetes resource quantities ({@code 500m}, {@code 1Gi}, {@code 1e3}) as exact decimals. */
public final class Quantities {

  /** Map keys under which Kubernetes keeps quantities. */
  private static final Set<String> QUANTITY_PARENTS =
      Set.of(
          "requests",
          "limits",
          "hard",
          "capacity",
          "allocatable",
          "overhead",
          "default",
          "defaultRequest",
          "max",
          "min",
          "maxLimitRequestRatio");

  private static final Set<String> QUANTITY_FIELDS = Set.of("sizeLimit", "storage");

  private Quantities() {}

  /** Whether a value under map key {@code parentKey}, field {@code field}, is a quantity. */
  public static boolean isQuantityField(String parentKey, String field) {
    return QUANTITY_FIELDS.contains(field)
        || (parentKey != null && QUANTITY_PARENTS.contains(parentKey));
  }

  /**
   * Whether two values are quantities of the same amount ({@code 1000m} and {@code 1}); false when
   * either is not a quantity. Plain quantities are compared as whole nanounits in a {@code long},
   * without allocating: this runs for every resource quantity whose spelling differs from live.
   */
  public static boolean sameAmount(JsonNode a, JsonNode b) {
    long na = nanos(a);
    long nb = nanos(b);
    if (na != NOT_SIMPLE && nb != NOT_SIMPLE) {
      return na == nb;
    }
    Optional<BigDecimal> da = parse(a);
    Optional<BigDecimal> db = parse(b);
    return da.isPresent() && db.isPresent() && da.get().compareTo(db.get()) == 0;
  }

  /** {@link #nanos}: the value has no exact {@code long} count of nanounits, or is no quantity. */
  private static final long NOT_SIMPLE = Long.MIN_VALUE;

  /**
   * The amount of a quantity in units of 10^-9, or {@link #NOT_SIMPLE} when it is not an integral
   * count of those that fits a {@code long} (or no quantity, or in exponent form): {@link #parse}
   * decides those.
   */
  static long nanos(JsonNode node) {
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return scale(node.longValue(), 9, 0);
    }
    return node.isString() ? nanos(node.stringValue()) : NOT_SIMPLE;
  }

  static long nanos(String text) {
    String t = text.trim();
    int n = t.length();
    int i = 0;
    boolean negative = false;
    if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
      negative = t.charAt(i) == '-';
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int fraction = -1;
    for (; i < n; i++) {
      char c = t.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++digits > 18) {
          return NOT_SIMPLE;
        }
        mantissa = mantissa * 10 + (c - '0');
        if (fraction >= 0) {
          fraction++;
        }
      } else if (c == '.' && fraction < 0) {
        fraction = 0;
      } else {
        break;
      }
    }
    if (digits == 0) {
      return NOT_SIMPLE;
    }
    int power = 9 - Math.max(fraction, 0);
    int binary = 0;
    if (i < n) {
      switch (t.substring(i)) {
        case "n" -> power -= 9;
        case "u" -> power -= 6;
        case "m" -> power -= 3;
        case "k" -> power += 3;
        case "M" -> power += 6;
        case "G" -> power += 9;
        case "T" -> power += 12;
        case "P" -> power += 15;
        case "E" -> power += 18;
        case "Ki" -> binary = 10;
        case "Mi" -> binary = 20;
        case "Gi" -> binary = 30;
        case "Ti" -> binary = 40;
        case "Pi" -> binary = 50;
        case "Ei" -> binary = 60;
        default -> {
          return NOT_SIMPLE;
        }
      }
    }
    long amount = scale(mantissa, power, binary);
    return amount == NOT_SIMPLE ? NOT_SIMPLE : negative ? -amount : amount;
  }

  /** {@code value * 10^power * 2^binary} when that is a {@code long}, else {@link #NOT_SIMPLE}. */
  private static long scale(long value, int power, int binary) {
    long v = value;
    try {
      for (; power > 0; power--) {
        v = Math.multiplyExact(v, 10L);
      }
      for (; power < 0; power++) {
        if (v % 10 != 0) {
          return NOT_SIMPLE;
        }
        v /= 10;
      }
      if (binary > 0) {
        if (Math.abs(v) > (Long.MAX_VALUE >> binary)) {
          return NOT_SIMPLE;
        }
        v <<= binary;
      }
      return v;
    } catch (ArithmeticException e) {
      return NOT_SIMPLE;
    }
  }

  /** The value of a quantity, or empty when {@code node} is not one. */
  public static Optional<BigDecimal> parse(JsonNode node) {
    if (node.isNumber()) {
      return Optional.of(node.decimalValue());
    }
    if (!node.isString()) {
      return Optional.empty();
    }
    return parse(node.stringValue());
  }

  /** The most digits a quantity is read with. */
  private static final int MAX_DIGITS = 64;

  /** The value of a quantity string, or empty when it is not one. */
  public static Optional<BigDecimal> parse(String text) {
    String t = text.trim();
    // split number and suffix by hand: this runs for every compared resource quantity
    int i = 0;
    int n = t.length();
    if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
      i++;
    }
    int digits = 0;
    boolean dot = false;
    while (i < n) {
      char c = t.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        break;
      }
      i++;
    }
    if (digits == 0 || digits > MAX_DIGITS) {
      // more digits than any real quantity: compared as text, never parsed (BigDecimal parsing
      // is quadratic in the digits)
      return Optional.empty();
    }
    BigDecimal number;
    try {
      number = new BigDecimal(t.substring(0, i));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    String suffix = i == n ? null : t.substring(i);
    if (suffix == null) {
      return Optional.of(number);
    }
    BigDecimal factor =
        switch (suffix) {
          case "n" -> new BigDecimal("1e-9");
          case "u" -> new BigDecimal("1e-6");
          case "m" -> new BigDecimal("1e-3");
          case "k" -> new BigDecimal("1e3");
          case "M" -> new BigDecimal("1e6");
          case "G" -> new BigDecimal("1e9");
          case "T" -> new BigDecimal("1e12");
          case "P" -> new BigDecimal("1e15");
          case "E" -> new BigDecimal("1e18");
          case "Ki" -> BigDecimal.valueOf(1L << 10);
          case "Mi" -> BigDecimal.valueOf(1L << 20);
          case "Gi" -> BigDecimal.valueOf(1L << 30);
          case "Ti" -> BigDecimal.valueOf(1L << 40);
          case "Pi" -> BigDecimal.valueOf(1L << 50);
          case "Ei" -> BigDecimal.valueOf(1L << 60);
          default -> {
            if (suffix.charAt(0) != 'e' && suffix.charAt(0) != 'E') {
              yield null;
            }
            try {
              yield BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
            } catch (NumberFormatException e) {
              yield null;
            }
          }
        };
    return factor == null ? Optional.empty() : Optional.of(number.multiply(factor));
  }
}
