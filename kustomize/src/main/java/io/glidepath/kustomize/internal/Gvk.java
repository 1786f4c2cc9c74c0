package io.glidepath.kustomize.internal;

import tools.jackson.databind.JsonNode;

/**
 * A group, version and kind, as kustomize's {@code resid.Gvk}. Used both for a resource's type and
 * as a selector, where an empty part matches anything.
 */
record Gvk(String group, String version, String kind) {
  static final Gvk ANY = new Gvk("", "", "");

  Gvk {
    group = group == null ? "" : group;
    version = version == null ? "" : version;
    kind = kind == null ? "" : kind;
  }

  /** The type of {@code apiVersion} and {@code kind}. */
  static Gvk of(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    return slash < 0
        ? new Gvk("", apiVersion, kind)
        : new Gvk(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
  }

  /** A selector read from a map with {@code group}, {@code version} and {@code kind} fields. */
  static Gvk selector(JsonNode n) {
    return new Gvk(text(n, "group"), text(n, "version"), text(n, "kind"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v == null || v.isNull() ? "" : v.asString();
  }

  /** Whether this type is selected by {@code selector} (empty selector parts match anything). */
  boolean selectedBy(Gvk selector) {
    return (selector.group.isEmpty() || selector.group.equals(group))
        && (selector.version.isEmpty() || selector.version.equals(version))
        && (selector.kind.isEmpty() || selector.kind.equals(kind));
  }

  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  boolean isEmpty() {
    return group.isEmpty() && version.isEmpty() && kind.isEmpty();
  }

  /** kustomize's string form: {@code Deployment.v1.apps}, {@code [noGrp]} for the core group. */
  @Override
  public String toString() {
    return kind + "." + version + "." + (group.isEmpty() ? "[noGrp]" : group);
  }
}
