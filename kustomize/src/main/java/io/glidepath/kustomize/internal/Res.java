package io.glidepath.kustomize.internal;

import io.glidepath.core.Origin;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A resource while a kustomization is built: a mutable body plus what kustomize remembers about it
 * in its build annotations: the names, namespaces and kinds it had before (stored only where
 * kustomize stores them), the prefixes and suffixes applied, whether it needs a hash suffix, and
 * the resources that refer to it. Not thread-safe; one build owns it.
 */
final class Res {
  /** An earlier identity: the type's group and version are always the current ones. */
  private record Prev(String kind, String name, String namespace) {}

  ObjectNode body;
  Origin origin;
  private final List<Prev> previous = new ArrayList<>();
  final List<String> prefixes = new ArrayList<>();
  final List<String> suffixes = new ArrayList<>();
  final List<ResId> refBy = new ArrayList<>();

  /** The file it was read from, or the kustomization file that generated it. */
  java.nio.file.Path source;

  /** The generator that made it ({@code ConfigMapGenerator}), or null for an object read. */
  String generatedBy;

  /** Entries of kustomize's transformations annotation, in order. */
  final List<String> transformations = new ArrayList<>();

  /** The vars bound to this object. */
  final List<String> refVarNames = new ArrayList<>();

  boolean needsHash;

  /** A generator merged into this one: kustomize leaves its emptied annotations map in place. */
  boolean keepEmptyAnnotations;

  String behavior = "create";

  Res(ObjectNode body, Origin origin) {
    this.body = body;
    this.origin = origin;
  }

  /** A copy with its own body and history (for a base included twice). */
  Res copy() {
    Res r = new Res(body.deepCopy(), origin);
    r.previous.addAll(previous);
    r.prefixes.addAll(prefixes);
    r.suffixes.addAll(suffixes);
    r.refBy.addAll(refBy);
    r.refVarNames.addAll(refVarNames);
    r.source = source;
    r.generatedBy = generatedBy;
    r.transformations.addAll(transformations);
    r.needsHash = needsHash;
    r.keepEmptyAnnotations = keepEmptyAnnotations;
    r.behavior = behavior;
    return r;
  }

  String apiVersion() {
    return body.path("apiVersion").asString("");
  }

  Gvk gvk() {
    return Gvk.of(apiVersion(), kind());
  }

  String group() {
    return gvk().group();
  }

  String version() {
    return gvk().version();
  }

  String kind() {
    return body.path("kind").asString("");
  }

  String name() {
    return body.path("metadata").path("name").asString("");
  }

  String namespace() {
    JsonNode ns = body.path("metadata").path("namespace");
    return ns.isString() ? ns.stringValue() : "";
  }

  ResId curId() {
    return new ResId(gvk(), name(), namespace());
  }

  private List<ResId> prevIdsCache;
  private String prevIdsApiVersion;

  /**
   * The identities this resource had before, oldest first (kustomize's {@code PrevIds}); cached
   * until the next stored identity or apiVersion change, since name references ask for them often.
   */
  List<ResId> prevIds() {
    String apiVersion = apiVersion();
    if (prevIdsCache != null
        && prevIdsCache.size() == previous.size()
        && apiVersion.equals(prevIdsApiVersion)) {
      return prevIdsCache;
    }
    Gvk g = Gvk.of(apiVersion, "");
    List<ResId> ids = new ArrayList<>(previous.size());
    for (Prev p : previous) {
      ids.add(new ResId(new Gvk(g.group(), g.version(), p.kind()), p.name(), p.namespace()));
    }
    prevIdsCache = List.copyOf(ids);
    prevIdsApiVersion = apiVersion;
    return prevIdsCache;
  }

  /** The first identity (kustomize's {@code OrgId}). */
  ResId orgId() {
    if (previous.isEmpty()) {
      return curId();
    }
    return prevIds().get(0);
  }

  /** The current identity and every earlier one. */
  List<ResId> anyIds() {
    List<ResId> ids = new ArrayList<>(prevIds());
    ids.add(curId());
    return ids;
  }

  /** Remembers the current identity (kustomize's {@code StorePreviousId}). */
  void storePreviousId() {
    previous.add(new Prev(kind(), name(), namespace()));
  }

  boolean clusterScoped() {
    return ResId.clusterScoped(gvk());
  }

  String effectiveNamespace() {
    return curId().effectiveNamespace();
  }

  void setName(String name) {
    body.withObjectProperty("metadata").put("name", name);
  }

  void setNamespace(String ns) {
    if (ns.isEmpty()) {
      JsonNode meta = body.get("metadata");
      if (meta instanceof ObjectNode m) {
        m.remove("namespace");
      }
    } else {
      body.withObjectProperty("metadata").put("namespace", ns);
    }
  }

  void setKind(String kind) {
    body.put("kind", kind);
  }

  boolean builtIn() {
    String g = group();
    return !g.contains(".") || g.endsWith(".k8s.io");
  }

  /** kustomize's check that a referrer and a referral were named in the same layers. */
  boolean prefixesSuffixesEqual(Res other, boolean allowEmpty) {
    if (allowEmpty) {
      boolean eitherPrefixEmpty = prefixes.isEmpty() || other.prefixes.isEmpty();
      boolean eitherSuffixEmpty = suffixes.isEmpty() || other.suffixes.isEmpty();
      return (eitherPrefixEmpty || sameEnding(prefixes, other.prefixes))
          && (eitherSuffixEmpty || sameEnding(suffixes, other.suffixes));
    }
    return sameEnding(prefixes, other.prefixes) && sameEnding(suffixes, other.suffixes);
  }

  private static boolean sameEnding(List<String> a, List<String> b) {
    List<String> shortest = a.size() <= b.size() ? a : b;
    List<String> longest = a.size() <= b.size() ? b : a;
    int diff = longest.size() - shortest.size();
    if (shortest.isEmpty()) {
      return diff == 0;
    }
    for (int i = shortest.size() - 1; i >= 0; i--) {
      if (!longest.get(i + diff).equals(shortest.get(i))) {
        return false;
      }
    }
    return true;
  }

  String describe() {
    String g = group();
    return (g.isEmpty() ? "" : g + "/")
        + kind()
        + " "
        + (namespace().isEmpty() ? "" : namespace() + "/")
        + name();
  }
}
