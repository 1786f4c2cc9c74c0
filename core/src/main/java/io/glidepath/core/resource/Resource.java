package io.glidepath.core.resource;

import io.glidepath.core.Origin;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Kubernetes object, immutable, with the place it was read from.
 *
 * <p>The object's content is a Jackson tree ({@link #body()}). Jackson trees cannot be frozen, so
 * the tree {@code body()} returns is shared and must be treated as read-only; {@link #bodyCopy()}
 * gives a mutable copy and {@link #edit(Consumer)} returns a changed copy of the resource:
 *
 * <pre>{@code
 * Resource pinned = rollout.edit(body ->
 *     body.withObject("/spec").put("replicas", 10));
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 */
public final class Resource {
  private final ObjectNode body;
  private final Origin origin;
  private final ResourceKey key;
  private final String name;
  private final String apiVersion;

  private Resource(ObjectNode body, Origin origin) {
    this.body = body;
    this.origin = origin;
    this.apiVersion = requiredString(body, "apiVersion", origin);
    String kind = requiredString(body, "kind", origin);
    JsonNode metadata = body.path("metadata");
    if (!metadata.isObject()) {
      throw new InvalidResourceException(
          origin, kind + " has no metadata: every object needs metadata.name");
    }
    String name = metadata.path("name").isString() ? metadata.path("name").stringValue() : "";
    if (name.isEmpty() && !metadata.path("generateName").isString()) {
      throw new InvalidResourceException(
          origin, kind + " has no metadata.name (and no metadata.generateName)");
    }
    String namespace =
        metadata.path("namespace").isString() ? metadata.path("namespace").stringValue() : "";
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    this.name = name;
    // an object with only generateName (a hook) is keyed by its prefix, e.g. "migrate-": two such
    // hooks of one kind and namespace stay apart, and no real name can equal it (a name ends with a
    // letter or digit)
    this.key =
        new ResourceKey(
            group,
            kind,
            namespace,
            name.isEmpty() ? metadata.path("generateName").stringValue() : name);
  }

  private static String requiredString(ObjectNode body, String field, Origin origin) {
    JsonNode value = body.get(field);
    if (value == null || !value.isString() || value.stringValue().isBlank()) {
      throw new InvalidResourceException(
          origin,
          "document has no "
              + field
              + (value == null ? "" : " string (found " + value.getNodeType() + ")")
              + ": every Kubernetes object needs apiVersion, kind and metadata.name");
    }
    return value.stringValue();
  }

  /** A resource built in code; {@code body} is copied. */
  public static Resource of(JsonNode body) {
    return of(body, Origin.UNKNOWN);
  }

  /**
   * A resource read from {@code origin}; {@code body} is copied.
   *
   * @throws InvalidResourceException when {@code body} is not an object with apiVersion, kind and
   *     metadata.name
   */
  public static Resource of(JsonNode body, Origin origin) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(origin, "origin");
    if (!body.isObject()) {
      throw new InvalidResourceException(
          origin, "document is a " + body.getNodeType() + ", not a mapping");
    }
    return new Resource((ObjectNode) body.deepCopy(), origin);
  }

  public String apiVersion() {
    return apiVersion;
  }

  public String kind() {
    return key.kind();
  }

  /** The API group, {@code ""} for the core group. */
  public String group() {
    return key.group();
  }

  /** The version part of {@code apiVersion}. */
  public String version() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
  }

  /**
   * {@code metadata.name}; empty when only {@code generateName} is set (the {@link #key()} then
   * names the object by its generateName prefix).
   */
  public String name() {
    return name;
  }

  /** {@code metadata.namespace} when set. */
  public Optional<String> namespace() {
    return key.namespace().isEmpty() ? Optional.empty() : Optional.of(key.namespace());
  }

  public Map<String, String> labels() {
    return stringMap(body.path("metadata").path("labels"));
  }

  public Map<String, String> annotations() {
    return stringMap(body.path("metadata").path("annotations"));
  }

  private static Map<String, String> stringMap(JsonNode node) {
    if (!node.isObject() || node.isEmpty()) {
      return Map.of();
    }
    Map<String, String> map = new LinkedHashMap<>();
    node.forEachEntry((k, v) -> map.put(k, v.isNull() ? "" : v.asString()));
    return Collections.unmodifiableMap(map);
  }

  /** The whole object. Shared: never mutate it (use {@link #edit} or {@link #bodyCopy}). */
  public JsonNode body() {
    return body;
  }

  /** A mutable copy of the whole object. */
  public ObjectNode bodyCopy() {
    return body.deepCopy();
  }

  /** The node at a JSON Pointer ({@code /spec/replicas}), or a missing node. */
  public JsonNode at(String jsonPointer) {
    return body.at(jsonPointer);
  }

  /** A copy of this resource changed by {@code change}; the origin is kept. */
  public Resource edit(Consumer<ObjectNode> change) {
    ObjectNode copy = body.deepCopy();
    change.accept(copy);
    return new Resource(copy, origin);
  }

  public Resource withNamespace(String namespace) {
    return edit(b -> b.withObjectProperty("metadata").put("namespace", namespace));
  }

  public Resource withLabel(String key, String value) {
    return edit(b -> b.withObjectProperty("metadata").withObjectProperty("labels").put(key, value));
  }

  public Resource withAnnotation(String key, String value) {
    return edit(
        b -> b.withObjectProperty("metadata").withObjectProperty("annotations").put(key, value));
  }

  /** A copy of this resource that remembers another origin. */
  public Resource withOrigin(Origin origin) {
    return new Resource(body, Objects.requireNonNull(origin, "origin"));
  }

  public ResourceKey key() {
    return key;
  }

  /** Where this resource was read from ({@link Origin#UNKNOWN} for resources built in code). */
  public Origin origin() {
    return origin;
  }

  /** Two resources are equal when their content is; the origin does not count. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Resource other && body.equals(other.body);
  }

  @Override
  public int hashCode() {
    return body.hashCode();
  }

  /** The key and origin only: a body can hold Secret values, which must never reach logs. */
  @Override
  public String toString() {
    return key + " (" + origin + ")";
  }
}
