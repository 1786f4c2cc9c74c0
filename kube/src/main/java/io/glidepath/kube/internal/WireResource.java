package io.glidepath.kube.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An object as the API server sent it (its JSON tree), seen by fabric8 as a {@link
 * GenericKubernetesResource}: {@link WireSerialization} makes one per object of a watch event or a
 * generic list, so an informer's store takes the tree as it is instead of fabric8 parsing the
 * object into its typed model, converting that to a generic one, and the store writing that back
 * into a tree (three conversions of every event, most of the informers' CPU with thousands of
 * apps).
 *
 * <p>fabric8's view is made from the tree when first asked for: the metadata when a getter or
 * fabric8 itself (every event's resource version) asks for it, the rest ({@link
 * #getAdditionalProperties()}) likewise. Every getter, setter and {@code equals} therefore answers
 * as for a {@code GenericKubernetesResource} parsed from the same JSON, and Jackson serializes it
 * (through the getters) to the same JSON; a watch of a typed kind converts it so, as it converts
 * any generic object.
 *
 * <p>{@link #tree()} hands the tree to the one store that receives the object: Glidepath's own
 * informers, whose objects nobody else sees. Not thread-safe, as fabric8's model objects.
 */
final class WireResource extends GenericKubernetesResource {
  private final WireSerialization serialization;
  private final ObjectNode tree;
  private boolean metadataMade;
  private boolean bodyMade;

  WireResource(ObjectNode tree, WireSerialization serialization) {
    this.tree = tree;
    this.serialization = serialization;
    JsonNode apiVersion = tree.get("apiVersion");
    JsonNode kind = tree.get("kind");
    super.setApiVersion(apiVersion != null && apiVersion.isString() ? apiVersion.asString() : null);
    super.setKind(kind != null && kind.isString() ? kind.asString() : null);
  }

  /**
   * The tree of {@code obj}: a {@link WireResource}'s own (see {@link #tree()}), else a new one
   * {@code serialization} writes.
   */
  static ObjectNode tree(GenericKubernetesResource obj, KubernetesSerialization serialization) {
    return obj instanceof WireResource w
        ? w.tree()
        : (ObjectNode) serialization.convertValue(obj, JsonNode.class);
  }

  /**
   * The object's tree. The caller may set or remove its {@code apiVersion}, {@code kind} and the
   * fields of its {@code metadata} (fabric8's view of those is made first, so it stays as
   * received), but must not change the {@code managedFields} entries in place: fabric8's view reads
   * them from the tree when asked for.
   */
  ObjectNode tree() {
    getMetadata();
    return tree;
  }

  @Override
  public void setApiVersion(String apiVersion) {
    super.setApiVersion(apiVersion);
    put("apiVersion", apiVersion);
  }

  @Override
  public void setKind(String kind) {
    super.setKind(kind);
    put("kind", kind);
  }

  // fabric8 sets a listed item's apiVersion and kind (the list's items may lack them)
  private void put(String name, String value) {
    if (value == null) {
      tree.remove(name);
    } else {
      tree.put(name, value);
    }
  }

  @Override
  public ObjectMeta getMetadata() {
    if (!metadataMade) {
      metadataMade = true;
      JsonNode m = tree.get("metadata");
      super.setMetadata(
          m == null || m.isNull()
              ? null
              : m instanceof ObjectNode o
                  ? WireMeta.of(o, serialization)
                  : serialization.fromTree(m, ObjectMeta.class));
    }
    return super.getMetadata();
  }

  @Override
  public void setMetadata(ObjectMeta metadata) {
    metadataMade = true;
    super.setMetadata(metadata);
  }

  @Override
  public Map<String, Object> getAdditionalProperties() {
    makeBody();
    return super.getAdditionalProperties();
  }

  @Override
  public void setAdditionalProperties(Map<String, Object> additionalProperties) {
    bodyMade = true;
    super.setAdditionalProperties(additionalProperties);
  }

  @Override
  public void setAdditionalProperty(String name, Object value) {
    makeBody();
    super.setAdditionalProperty(name, value);
  }

  private void makeBody() {
    if (bodyMade) {
      return;
    }
    bodyMade = true;
    Map<String, Object> rest = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : tree.properties()) {
      String name = e.getKey();
      if (!name.equals("apiVersion") && !name.equals("kind") && !name.equals("metadata")) {
        rest.put(name, serialization.fromTree(e.getValue(), Object.class));
      }
    }
    super.getAdditionalProperties().putAll(rest);
  }

  /**
   * The metadata, its {@code managedFields} read from the tree when first asked for: fabric8 reads
   * an event's name, namespace and version, the stores its annotations, nobody on an informer's
   * path the field managers (half the cost of reading the metadata, most of it in their {@code
   * fieldsV1} maps). Every getter, {@code equals} and Jackson (through the getters) see them.
   */
  static final class WireMeta extends ObjectMeta {
    private final WireSerialization serialization;
    private JsonNode managedFields; // null once read

    private WireMeta(ObjectMeta m, JsonNode managedFields, WireSerialization serialization) {
      super(
          m.getAnnotations(),
          m.getCreationTimestamp(),
          m.getDeletionGracePeriodSeconds(),
          m.getDeletionTimestamp(),
          m.getFinalizers(),
          m.getGenerateName(),
          m.getGeneration(),
          m.getLabels(),
          m.getManagedFields(),
          m.getName(),
          m.getNamespace(),
          m.getOwnerReferences(),
          m.getResourceVersion(),
          m.getSelfLink(),
          m.getUid());
      setAdditionalProperties(m.getAdditionalProperties());
      this.managedFields = managedFields;
      this.serialization = serialization;
    }

    static WireMeta of(ObjectNode metadata, WireSerialization serialization) {
      JsonNode managed = metadata.get("managedFields");
      ObjectNode rest = metadata;
      if (managed != null) {
        rest = metadata.objectNode();
        rest.setAll(metadata);
        rest.remove("managedFields");
      }
      return new WireMeta(serialization.fromTree(rest, ObjectMeta.class), managed, serialization);
    }

    @Override
    public List<ManagedFieldsEntry> getManagedFields() {
      if (managedFields != null) {
        JsonNode m = managedFields;
        managedFields = null;
        super.setManagedFields(serialization.managedFields(m));
      }
      return super.getManagedFields();
    }

    @Override
    public void setManagedFields(List<ManagedFieldsEntry> managedFields) {
      this.managedFields = null;
      super.setManagedFields(managedFields);
    }
  }
}
