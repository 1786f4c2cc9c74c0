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
    if (digits == 0) {
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
