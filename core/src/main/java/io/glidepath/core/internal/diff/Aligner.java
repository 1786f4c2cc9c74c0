package io.glidepath.core.internal.diff;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the two trees that are compared: the desired object, and the live object reduced to the
 * fields we set (per {@link Ownership}) with semantically equal leaves replaced by the desired
 * spelling, so that plain tree equality means "no drift".
 */
final class Aligner {
  /** Merge keys tried, in order, for lists of objects (strategic-merge-patch keys). */
  private static final List<String> MERGE_KEYS =
      List.of("name", "containerPort", "port", "mountPath", "devicePath", "ip", "type");

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  // hash sets: a name read while walking is checked with one lookup in a small set that stays in
  // the cache, not one comparison per name
  private static final Set<String> SERVER_METADATA = Set.copyOf(Normalizer.SERVER_METADATA);
  private static final Set<String> BOOKKEEPING_ANNOTATIONS =
      Set.copyOf(Normalizer.BOOKKEEPING_ANNOTATIONS);

  private Aligner() {}

  /** The pair of trees to compare. */
  record Pair(ObjectNode desired, ObjectNode live) {}

  /**
   * Aligns raw bodies without copying them: what {@link Normalizer} removes is skipped on the way
   * (status, server metadata, bookkeeping annotations, the default port protocol). The result
   * shares subtrees with the inputs: copy it before changing it.
   */
  static Pair align(JsonNode desired, JsonNode live, Ownership ownership) {
    ObjectNode outD = F.objectNode();
    ObjectNode outL = F.objectNode();
    alignObject(desired, live, outD, outL, ownership, null, Where.ROOT);
    return new Pair(outD, outL);
  }

  /**
   * Whether {@link #align} would give two equal trees, without building them: the fast path for the
   * common, synced case.
   */
  static boolean alignsEqual(JsonNode desired, JsonNode live, Ownership ownership) {
    return objectEq(desired, live, ownership, null, Where.ROOT);
  }

  /**
   * Objects with at most this many live fields are matched field by field against an array of the
   * live fields (name hashes compared first) instead of by hash lookups: the live fields are read
   * once, in order, and which of them the desired object does not have is known without looking
   * each one up in the desired object. Larger objects (a ConfigMap's data) use lookups.
   */
  private static final int SCAN_LIMIT = 32;

  private static boolean objectEq(
      JsonNode desired, JsonNode live, Ownership own, String parentKey, Where where) {
    int n = live.size();
    if (n > SCAN_LIMIT) {
      return objectEqByLookup(desired, live, own, parentKey, where);
    }
    String[] names = new String[n];
    JsonNode[] values = new JsonNode[n];
    int count = 0;
    for (Map.Entry<String, JsonNode> e : live.properties()) {
      names[count] = e.getKey();
      values[count++] = e.getValue();
    }
    long matched = 0L;
    int next = 0;
    boolean mayskip = where.maySkip(desired);
    JsonNode special = where.specialChild(desired);
    for (Map.Entry<String, JsonNode> e : desired.properties()) {
      String key = e.getKey();
      JsonNode d = e.getValue();
      if (mayskip && where.skips(key, d)) {
        continue;
      }
      JsonNode l = null;
      int at = indexOf(names, count, key, next);
      if (at >= 0) {
        matched |= 1L << at;
        next = at + 1;
        l = values[at];
        if (mayskip && where.skips(key, l)) {
          l = null;
        }
      }
      if (!fieldAgrees(d, l, own, parentKey, key, where, special)) {
        return false;
      }
    }
    if (own == Ownership.NONE) {
      return true;
    }
    // live fields no desired field matched (or whose desired field is skipped): drift if we set
    // them
    for (int i = 0; i < count; i++) {
      if ((matched & (1L << i)) != 0) {
        continue;
      }
      String key = names[i];
      JsonNode value = values[i];
      if (Semantics.isEmptyOrNull(value) || where.skips(key, value)) {
        continue;
      }
      Ownership childOwn = own.child(key);
      if (childOwn.keepsLiveOnlyField()
          && liveOnly(value, childOwn, where.child(key, parentKey)) != null) {
        return false;
      }
    }
    return true;
  }

  /**
   * The index of {@code key} in {@code names[0..count)}, searched from {@code from} first (objects
   * often list fields in a similar order), or -1.
   */
  private static int indexOf(String[] names, int count, String key, int from) {
    int h = key.hashCode();
    for (int i = from; i < count; i++) {
      String name = names[i];
      if (name == key || (name.hashCode() == h && name.equals(key))) {
        return i;
      }
    }
    for (int i = 0; i < from && i < count; i++) {
      String name = names[i];
      if (name == key || (name.hashCode() == h && name.equals(key))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean objectEqByLookup(
      JsonNode desired, JsonNode live, Ownership own, String parentKey, Where where) {
    boolean mayskip = where.maySkip(desired);
    JsonNode special = where.specialChild(desired);
    for (Map.Entry<String, JsonNode> e : desired.properties()) {
      String key = e.getKey();
      JsonNode d = e.getValue();
      if (mayskip && where.skips(key, d)) {
        continue;
      }
      JsonNode l = live.get(key);
      if (mayskip && l != null && where.skips(key, l)) {
        l = null;
      }
      if (!fieldAgrees(d, l, own, parentKey, key, where, special)) {
        return false;
      }
    }
    if (own == Ownership.NONE) {
      return true;
    }
    for (Map.Entry<String, JsonNode> e : live.properties()) {
      String key = e.getKey();
      if (Semantics.isEmptyOrNull(e.getValue()) || where.skips(key, e.getValue())) {
        continue;
      }
      JsonNode d = desired.get(key);
      if (d != null && !where.skips(key, d)) {
        continue;
      }
      Ownership childOwn = own.child(key);
      if (childOwn.keepsLiveOnlyField()
          && liveOnly(e.getValue(), childOwn, where.child(key, parentKey)) != null) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether desired field {@code key} (value {@code d}) agrees with the live value {@code l} (null
   * when live lacks it): equal, empty on both sides, or not drift because another manager owns it.
   * Ownership is asked only when the values differ.
   */
  private static boolean fieldAgrees(
      JsonNode d,
      JsonNode l,
      Ownership own,
      String parentKey,
      String key,
      Where where,
      JsonNode special) {
    Ownership childOwn = own == Ownership.NONE ? own : own.child(key);
    if (l == null || l.isNull()) {
      return Semantics.isEmptyOrNull(d) || childOwn.excludesDesiredField();
    }
    Where childWhere = d == special ? where.child(key, parentKey) : Where.OTHER;
    return valueEq(d, l, childOwn, parentKey, key, childWhere) || childOwn.excludesDesiredField();
  }

  private static boolean valueEq(
      JsonNode d, JsonNode l, Ownership own, String parentKey, String key, Where where) {
    if (d == l) {
      // a value shared by both trees (live copied from desired) equals itself at any ownership
      return true;
    }
    if (d.isObject() && l.isObject()) {
      return objectEq(d, l, own, key, where);
    }
    if (d.isArray() && l.isArray()) {
      return arrayEq((ArrayNode) d, (ArrayNode) l, own, key);
    }
    if (d.isContainer() || l.isContainer()) {
      return false;
    }
    return Semantics.leafEquals(d, l, parentKey, key);
  }

  private static boolean arrayEq(ArrayNode d, ArrayNode l, Ownership own, String key) {
    String mergeKey = mergeKey(d, l);
    Where where = elementWhere(key);
    if (mergeKey == null) {
      if (d.size() != l.size()) {
        return false;
      }
      for (int i = 0; i < d.size(); i++) {
        if (!valueEq(d.get(i), l.get(i), own, key, key, where)) {
          return false;
        }
      }
      return true;
    }
    boolean[] matched = new boolean[l.size()];
    // while the live list keeps the desired order, element i of one matches element i of the other
    // (desired keys are distinct, so no earlier live element can match): no search needed
    boolean sameOrder = true;
    for (int i = 0; i < d.size(); i++) {
      JsonNode element = d.get(i);
      int at;
      if (sameOrder
          && i < l.size()
          && Semantics.scalarEquals(l.get(i).path(mergeKey), element.path(mergeKey))) {
        at = i;
      } else {
        sameOrder = false;
        at = find(l, element, mergeKey);
      }
      if (at >= 0) {
        matched[at] = true;
      }
      // as in objectEq, ownership is asked only when the element differs
      Ownership elementOwn = own == Ownership.NONE ? own : own.element(element, mergeKey);
      if (at < 0 || !valueEq(element, l.get(at), elementOwn, key, key, where)) {
        if (elementOwn.excludesDesiredField()) {
          continue;
        }
        return false;
      }
    }
    if (own == Ownership.NONE) {
      return true;
    }
    for (int i = 0; i < l.size(); i++) {
      if (!matched[i] && find(l, l.get(i), mergeKey) == i) {
        Ownership elementOwn = own.element(l.get(i), mergeKey);
        if (elementOwn.keepsLiveOnlyField() && liveOnly(l.get(i), elementOwn, where) != null) {
          return false;
        }
      }
    }
    return true;
  }

  /** The index of the first element of {@code list} whose merge key equals {@code k}'s, or -1. */
  private static int find(ArrayNode list, JsonNode element, String mergeKey) {
    JsonNode k = element.path(mergeKey);
    for (int i = 0; i < list.size(); i++) {
      if (Semantics.scalarEquals(list.get(i).path(mergeKey), k)) {
        return i;
      }
    }
    return -1;
  }

  /** Positions where normalization skips fields. */
  private enum Where {
    ROOT,
    METADATA,
    ANNOTATIONS,
    PORT,
    OTHER;

    Where child(String key, String parentKey) {
      return switch (this) {
        case ROOT -> key.equals("metadata") ? METADATA : OTHER;
        case METADATA -> key.equals("annotations") ? ANNOTATIONS : OTHER;
        default -> OTHER;
      };
    }

    /**
     * The value of the one field whose position is not {@link #OTHER} ({@code metadata}, {@code
     * annotations}), or null. A value can sit under two names, so {@link #child} still checks the
     * name.
     */
    JsonNode specialChild(JsonNode object) {
      return switch (this) {
        case ROOT -> object.get("metadata");
        case METADATA -> object.get("annotations");
        default -> null;
      };
    }

    /** Whether {@link #skips} may skip a field of {@code object} (false: no need to ask). */
    boolean maySkip(JsonNode object) {
      return this != OTHER;
    }

    boolean skips(String key, JsonNode value) {
      return switch (this) {
        case ROOT -> key.equals("status");
        case METADATA -> SERVER_METADATA.contains(key);
        case ANNOTATIONS -> BOOKKEEPING_ANNOTATIONS.contains(key);
        case PORT -> key.equals("protocol") && "TCP".equals(value.asString(""));
        case OTHER -> false;
      };
    }
  }

  private static void alignObject(
      JsonNode desired,
      JsonNode live,
      ObjectNode outD,
      ObjectNode outL,
      Ownership own,
      String parentKey,
      Where where) {
    // the same shortcuts as objectEq: live fields read in order, skipped names looked up
    Iterator<Map.Entry<String, JsonNode>> liveFields = live.properties().iterator();
    Map.Entry<String, JsonNode> nextLive = liveFields.hasNext() ? liveFields.next() : null;
    boolean mayskip = where != Where.OTHER && where.maySkip(desired);
    JsonNode special = where.specialChild(desired);
    for (Map.Entry<String, JsonNode> e : desired.properties()) {
      String key = e.getKey();
      JsonNode d = e.getValue();
      if (mayskip && where.skips(key, d)) {
        continue;
      }
      Ownership childOwn = own == Ownership.NONE ? own : own.child(key);
      if (childOwn.excludesDesiredField()) {
        continue;
      }
      JsonNode l;
      if (nextLive != null && nextLive.getKey().equals(key)) {
        l = nextLive.getValue();
        nextLive = liveFields.hasNext() ? liveFields.next() : null;
      } else {
        l = live.get(key);
      }
      if (mayskip && l != null && where.skips(key, l)) {
        l = null;
      }
      if (l == null || l.isNull()) {
        outD.set(key, d);
        if (Semantics.isEmptyOrNull(d)) {
          // empty and absent mean the same to the API server
          outL.set(key, d);
        }
        continue;
      }
      Where childWhere = d == special ? where.child(key, parentKey) : Where.OTHER;
      Pair2 p = alignValue(d, l, childOwn, parentKey, key, childWhere);
      outD.set(key, p.desired);
      outL.set(key, p.live);
    }
    if (own == Ownership.NONE) {
      // fields only the live object has are kept only when we set them: unknown here
      return;
    }
    for (Map.Entry<String, JsonNode> e : live.properties()) {
      String key = e.getKey();
      if (Semantics.isEmptyOrNull(e.getValue()) || where.skips(key, e.getValue())) {
        continue;
      }
      JsonNode d = desired.get(key);
      if (d != null && !where.skips(key, d)) {
        continue;
      }
      Ownership childOwn = own.child(key);
      if (childOwn.keepsLiveOnlyField()) {
        JsonNode kept = liveOnly(e.getValue(), childOwn, where.child(key, parentKey));
        if (kept != null) {
          outL.set(key, kept);
        }
      }
    }
  }

  private record Pair2(JsonNode desired, JsonNode live) {}

  private static Pair2 alignValue(
      JsonNode d, JsonNode l, Ownership own, String parentKey, String key, Where where) {
    if (d.isObject() && l.isObject()) {
      ObjectNode od = F.objectNode();
      ObjectNode ol = F.objectNode();
      alignObject(d, l, od, ol, own, key, where);
      return new Pair2(od, ol);
    }
    if (d.isArray() && l.isArray()) {
      return alignArray((ArrayNode) d, (ArrayNode) l, own, key);
    }
    if (Semantics.leafEquals(d, l, parentKey, key)) {
      return new Pair2(d, d);
    }
    return new Pair2(d, l);
  }

  private static Pair2 alignArray(ArrayNode d, ArrayNode l, Ownership own, String key) {
    String mergeKey = mergeKey(d, l);
    if (mergeKey == null) {
      if (d.size() != l.size()) {
        return new Pair2(d, l);
      }
      ArrayNode od = F.arrayNode(d.size());
      ArrayNode ol = F.arrayNode(l.size());
      for (int i = 0; i < d.size(); i++) {
        Pair2 p = alignValue(d.get(i), l.get(i), own, key, key, elementWhere(key));
        od.add(p.desired);
        ol.add(p.live);
      }
      return new Pair2(od, ol);
    }
    if (own == Ownership.NONE && sameKeysInOrder(d, l, mergeKey)) {
      // element i matches element i (desired keys are distinct) and, with nothing known of who set
      // the other live elements, those are left out: no maps needed
      ArrayNode od = F.arrayNode(d.size());
      ArrayNode ol = F.arrayNode(d.size());
      for (int i = 0; i < d.size(); i++) {
        Pair2 p = alignValue(d.get(i), l.get(i), own, key, key, elementWhere(key));
        od.add(p.desired);
        ol.add(p.live);
      }
      return new Pair2(od, ol);
    }
    Map<JsonNode, JsonNode> liveByKey = new LinkedHashMap<>();
    for (JsonNode element : l) {
      liveByKey.putIfAbsent(keyOf(element, mergeKey), element);
    }
    Map<JsonNode, Boolean> matched = new HashMap<>();
    ArrayNode od = F.arrayNode(d.size());
    ArrayNode ol = F.arrayNode(l.size());
    for (JsonNode element : d) {
      JsonNode k = keyOf(element, mergeKey);
      Ownership elementOwn = own == Ownership.NONE ? own : own.element(element, mergeKey);
      JsonNode liveElement = liveByKey.get(k);
      if (liveElement != null) {
        matched.put(k, Boolean.TRUE);
      }
      if (elementOwn.excludesDesiredField()) {
        continue;
      }
      if (liveElement == null) {
        od.add(element);
        continue;
      }
      Pair2 p = alignValue(element, liveElement, elementOwn, key, key, elementWhere(key));
      od.add(p.desired);
      ol.add(p.live);
    }
    for (Map.Entry<JsonNode, JsonNode> e : liveByKey.entrySet()) {
      if (own != Ownership.NONE
          && !matched.containsKey(e.getKey())
          && own.element(e.getValue(), mergeKey).keepsLiveOnlyField()) {
        JsonNode kept =
            liveOnly(e.getValue(), own.element(e.getValue(), mergeKey), elementWhere(key));
        if (kept != null) {
          ol.add(kept);
        }
      }
    }
    return new Pair2(od, ol);
  }

  /**
   * The part of a field only the live object has that we set (per {@code own}, which keeps the
   * field itself); null when nothing of it is ours.
   */
  private static JsonNode liveOnly(JsonNode live, Ownership own, Where where) {
    if (!live.isObject() || (own.ownsWhole() && where == Where.OTHER)) {
      return live;
    }
    ObjectNode out = F.objectNode();
    for (Map.Entry<String, JsonNode> e : live.properties()) {
      if (where.skips(e.getKey(), e.getValue())) {
        continue;
      }
      Ownership childOwn = own.child(e.getKey());
      if (childOwn.keepsLiveOnlyField()) {
        JsonNode kept = liveOnly(e.getValue(), childOwn, where.child(e.getKey(), null));
        if (kept != null) {
          out.set(e.getKey(), kept);
        }
      }
    }
    return out.isEmpty() ? null : out;
  }

  private static Where elementWhere(String listKey) {
    return "ports".equals(listKey) ? Where.PORT : Where.OTHER;
  }

  /** Whether every desired element has the merge key of the live element at its index. */
  private static boolean sameKeysInOrder(ArrayNode d, ArrayNode l, String mergeKey) {
    if (d.size() > l.size()) {
      return false;
    }
    for (int i = 0; i < d.size(); i++) {
      if (!keyOf(d.get(i), mergeKey).equals(keyOf(l.get(i), mergeKey))) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode keyOf(JsonNode element, String mergeKey) {
    JsonNode k = element.path(mergeKey);
    // numbers by value, so that 8080 and 8080.0 match
    if (!k.isNumber()) {
      return k;
    }
    if (k.isIntegralNumber() && k.canConvertToLong()) {
      return F.numberNode(k.longValue());
    }
    java.math.BigDecimal v = k.decimalValue().stripTrailingZeros();
    return v.scale() <= 0
            && v.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
            && v.compareTo(java.math.BigDecimal.valueOf(Long.MIN_VALUE)) >= 0
        ? F.numberNode(v.longValue())
        : F.numberNode(v);
  }

  /**
   * The merge key of a list of objects: the first candidate every desired element has, with
   * distinct values, and every live element has too. Null for lists compared by position.
   */
  private static String mergeKey(ArrayNode d, ArrayNode l) {
    if (d.isEmpty() || !d.get(0).isObject()) {
      return null;
    }
    candidates:
    for (String candidate : MERGE_KEYS) {
      for (int i = 0; i < d.size(); i++) {
        JsonNode v = d.get(i).get(candidate);
        if (v == null || !v.isValueNode()) {
          continue candidates;
        }
        for (int j = 0; j < i; j++) {
          if (Semantics.scalarEquals(v, d.get(j).get(candidate))) {
            continue candidates;
          }
        }
      }
      for (JsonNode element : l) {
        if (!element.isObject() || element.get(candidate) == null) {
          continue candidates;
        }
      }
      return candidate;
    }
    return null;
  }
}
