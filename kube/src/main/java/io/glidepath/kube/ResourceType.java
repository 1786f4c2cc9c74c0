package io.glidepath.kube;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A resource type the cluster serves, as discovery reports it.
 *
 * @param group API group, "" for core
 * @param version the served version Glidepath uses (the group's preferred one)
 * @param kind e.g. {@code Deployment}
 * @param plural e.g. {@code deployments}
 * @param namespaced whether objects live in namespaces
 * @param verbs the verbs the type supports
 * @param subresources the subresources discovery lists for the type (the part after {@code
 *     <plural>/}), e.g. {@code status} and {@code scale}; a custom resource has a {@code status}
 *     subresource only when its CRD declares one
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    boolean namespaced,
    List<String> verbs,
    List<String> subresources) {

  /** The subresource that holds an object's status, when the type has one. */
  public static final String STATUS = "status";

  public ResourceType {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
    verbs = List.copyOf(verbs);
    subresources = List.copyOf(subresources);
  }

  /** A type without subresources. */
  public ResourceType(
      String group,
      String version,
      String kind,
      String plural,
      boolean namespaced,
      List<String> verbs) {
    this(group, version, kind, plural, namespaced, verbs, List.of());
  }

  /**
   * The types of one group version's discovery document (an {@code APIResourceList}: its {@code
   * resources}), each with the subresources listed for it as {@code <plural>/<subresource>}.
   */
  public static List<ResourceType> fromDiscovery(String group, String version, JsonNode list) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Map<String, List<String>> subresources = new LinkedHashMap<>();
    for (JsonNode r : list.path("resources")) {
      String name = r.path("name").asString("");
      int slash = name.indexOf('/');
      if (slash > 0 && slash < name.length() - 1) {
        subresources
            .computeIfAbsent(name.substring(0, slash), k -> new ArrayList<>())
            .add(name.substring(slash + 1));
      }
    }
    List<ResourceType> out = new ArrayList<>();
    for (JsonNode r : list.path("resources")) {
      String plural = r.path("name").asString("");
      if (plural.isEmpty() || plural.contains("/")) {
        continue;
      }
      List<String> verbs = new ArrayList<>();
      r.path("verbs").forEach(v -> verbs.add(v.asString("")));
      out.add(
          new ResourceType(
              group,
              version,
              r.path("kind").asString(""),
              plural,
              r.path("namespaced").asBoolean(false),
              verbs,
              subresources.getOrDefault(plural, List.of())));
    }
    return out;
  }

  /** {@code v1} or {@code apps/v1}. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The collection path in {@code namespace} ("" for all namespaces or cluster scope). */
  public String collectionPath(String namespace) {
    String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    if (namespaced && !namespace.isEmpty()) {
      return base + "/namespaces/" + namespace + "/" + plural;
    }
    return base + "/" + plural;
  }

  /** The path of one object. */
  public String itemPath(String namespace, String name) {
    return collectionPath(namespaced ? namespace : "") + "/" + name;
  }

  /**
   * Whether the type has a {@code status} subresource: then a write to the object keeps its stored
   * status and the status is written through {@code <object>/status}; without one (e.g. Argo CD's
   * Application CRD) {@code /status} answers 404 and the status is written with the object.
   */
  public boolean hasStatusSubresource() {
    return subresources.contains(STATUS);
  }

  /**
   * Where a write of one object's status goes: its {@code /status} subresource when the type has
   * one, else the object itself.
   */
  public String statusPath(String namespace, String name) {
    String item = itemPath(namespace, name);
    return hasStatusSubresource() ? item + "/" + STATUS : item;
  }

  /** Whether objects of this type can be listed. */
  public boolean listable() {
    return verbs.contains("list");
  }

  /**
   * The hash of the type's identity (group, version, kind, plural), without the lists of verbs and
   * subresources: equal types hash alike all the same, and the shared live cache hashes types (and
   * maps keyed by the dozens of them) for every app it registers, where hashing each verb list
   * showed in the start-up profile of a thousand apps.
   */
  @Override
  public int hashCode() {
    return ((group.hashCode() * 31 + version.hashCode()) * 31 + kind.hashCode()) * 31
        + plural.hashCode();
  }
}
