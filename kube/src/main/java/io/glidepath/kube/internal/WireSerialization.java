package io.glidepath.kube.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.glidepath.core.yaml.Yaml;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * fabric8's serialization for the client {@link DefaultKubeCluster#connect} builds, with watch
 * events and lists of generic objects parsed once into {@link WireResource}s: the JSON tree the
 * informers' stores keep (packed), where fabric8 would parse each object into its typed model and
 * convert that to a generic one. Everything else, and anything not shaped like an event or a list
 * of objects (an ERROR event's Status), is fabric8's own.
 *
 * <p>Other watches of the same client see no difference: a generic watch gets a {@code
 * GenericKubernetesResource} answering as one parsed from the same JSON, a typed watch converts it
 * to its class as fabric8 converts any generic object.
 *
 * <p>Thread-safe.
 */
final class WireSerialization extends KubernetesSerialization {
  private static final Set<String> OBJECT_EVENTS =
      Set.of("ADDED", "MODIFIED", "DELETED", "BOOKMARK");
  private static final Set<String> LIST_FIELDS = Set.of("apiVersion", "kind", "metadata", "items");

  // fabric8's mapper, configured by fabric8 (set while the super constructor runs)
  private ObjectMapper mapper;

  @Override
  protected ObjectMapper configureMapper(ObjectMapper mapper) {
    ObjectMapper configured = super.configureMapper(mapper);
    this.mapper = configured;
    return configured;
  }

  /**
   * {@code node} as fabric8 would parse its JSON into {@code type}; straight from the tree, where
   * {@link #convertValue} writes it out and parses that.
   */
  <T> T fromTree(JsonNode node, Class<T> type) {
    return mapper.treeToValue(node, type);
  }

  /** {@code node} as fabric8 would parse an object's {@code managedFields}. */
  List<ManagedFieldsEntry> managedFields(JsonNode node) {
    return mapper.treeToValue(
        node,
        mapper.getTypeFactory().constructCollectionType(List.class, ManagedFieldsEntry.class));
  }

  @Override
  public <T> T unmarshal(String str, Class<T> type) {
    if (type == WatchEvent.class) {
      WatchEvent event = watchEvent(str);
      if (event != null) {
        return type.cast(event);
      }
    }
    return super.unmarshal(str, type);
  }

  @Override
  public <T> T unmarshal(InputStream is, TypeReference<T> type) {
    if (type.getType() != GenericKubernetesResourceList.class) {
      return super.unmarshal(is, type);
    }
    JsonNode root = Yaml.mapper().readTree(is);
    GenericKubernetesResourceList list = genericList(root);
    if (list == null) {
      // fabric8's answer, its errors included
      return super.unmarshal(new ByteArrayInputStream(Yaml.mapper().writeValueAsBytes(root)), type);
    }
    @SuppressWarnings("unchecked")
    T parsed = (T) list;
    return parsed;
  }

  /** The list in {@code root} with its items {@link WireResource}s; null if not shaped so. */
  private GenericKubernetesResourceList genericList(JsonNode root) {
    if (!(root instanceof ObjectNode o) || !(o.get("items") instanceof ArrayNode items)) {
      return null;
    }
    for (String name : o.propertyNames()) {
      if (!LIST_FIELDS.contains(name)) {
        return null; // fabric8 keeps what it knows of it
      }
    }
    List<GenericKubernetesResource> objects = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      if (!(item instanceof ObjectNode i)) {
        return null;
      }
      objects.add(new WireResource(i, this));
    }
    GenericKubernetesResourceList list = new GenericKubernetesResourceList();
    list.setApiVersion(o.path("apiVersion").isString() ? o.get("apiVersion").asString() : null);
    list.setKind(o.path("kind").isString() ? o.get("kind").asString() : null);
    JsonNode meta = o.get("metadata");
    list.setMetadata(meta == null || meta.isNull() ? null : fromTree(meta, ListMeta.class));
    list.setItems(objects);
    return list;
  }

  /** The event in {@code text} with its object a {@link WireResource}; null if not shaped so. */
  private WatchEvent watchEvent(String text) {
    JsonNode root;
    try {
      root = Yaml.mapper().readTree(text);
    } catch (RuntimeException e) {
      return null; // fabric8 reports it
    }
    JsonNode type = root.path("type");
    if (!type.isString()
        || !OBJECT_EVENTS.contains(type.asString())
        || !(root.get("object") instanceof ObjectNode object)
        || !(object.get("metadata") instanceof ObjectNode)
        || "Status".equals(object.path("kind").asString(""))) {
      return null;
    }
    return new WatchEvent(new WireResource(object, this), type.asString());
  }
}
