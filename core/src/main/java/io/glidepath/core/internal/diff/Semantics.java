package io.glidepath.core.internal.diff;

import tools.jackson.databind.JsonNode;

/** Equality of leaf values the way the API server means them. */
final class Semantics {
  private Semantics() {}

  /** Numbers by value ({@code 1} == {@code 1.0}); anything else by {@code equals}. */
  static boolean scalarEquals(JsonNode a, JsonNode b) {
    if (a.equals(b)) {
      return true;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return false;
  }

  /**
   * Whether two leaves are equal; under quantity fields ({@code resources.limits.cpu}) {@code
   * 1000m} equals {@code 1} and {@code 1Gi} equals {@code 1024Mi}.
   */
  static boolean leafEquals(JsonNode desired, JsonNode live, String parentKey, String field) {
    if (scalarEquals(desired, live)) {
      return true;
    }
    if (Quantities.isQuantityField(parentKey, field)
        && (desired.isString() || desired.isNumber())
        && (live.isString() || live.isNumber())) {
      return Quantities.sameAmount(desired, live);
    }
    return false;
  }

  static boolean isEmptyOrNull(JsonNode node) {
    return node == null || node.isNull() || (node.isContainer() && node.isEmpty());
  }
}
