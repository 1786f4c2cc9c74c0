package io.glidepath.rollout.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.glidepath.core.yaml.Yaml;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generic object access through fabric8, with bodies as Jackson 3 trees. Updates and patches carry
 * the field manager {@value #FIELD_MANAGER}, whatever the client's User-Agent: a GitOps controller
 * tells the driver's changes (weights, selectors) from a person's by it.
 */
public final class Kube {
  /** The field manager of every update and patch the rollout module makes. */
  public static final String FIELD_MANAGER = "glidepath-rollouts";

  private Kube() {}

  public static Optional<ObjectNode> get(
      KubernetesClient client, String apiVersion, String kind, String namespace, String name) {
    GenericKubernetesResource r =
        client
            .genericKubernetesResources(apiVersion, kind)
            .inNamespace(namespace)
            .withName(name)
            .get();
    return r == null ? Optional.empty() : Optional.of(toTree(client, r));
  }

  /**
   * Replaces the object's content (optimistic: its resourceVersion must be current, else a 409).
   *
   * <p>A JSON patch rather than a PUT: fabric8 sends no {@code fieldManager} on a PUT, so the API
   * server would name the manager after the client's User-Agent. The patch sets every top-level
   * field but {@code metadata} and {@code status}, the labels and annotations, and the
   * resourceVersion (which the API server checks, as for a PUT).
   */
  public static ObjectNode update(KubernetesClient client, ObjectNode object) {
    ArrayNode ops = Yaml.mapper().createArrayNode();
    JsonNode meta = object.path("metadata");
    if (meta.has("resourceVersion")) {
      op(ops, "/metadata/resourceVersion", meta.get("resourceVersion"));
    }
    for (String field : new String[] {"labels", "annotations"}) {
      if (meta.has(field)) {
        op(ops, "/metadata/" + field, meta.get(field));
      }
    }
    for (java.util.Map.Entry<String, JsonNode> e : object.properties()) {
      String k = e.getKey();
      if (!k.equals("apiVersion")
          && !k.equals("kind")
          && !k.equals("metadata")
          && !k.equals("status")) {
        op(ops, "/" + k, e.getValue());
      }
    }
    String namespace = meta.path("namespace").asString("");
    var op =
        client.genericKubernetesResources(
            object.path("apiVersion").asString(), object.path("kind").asString());
    var named =
        namespace.isEmpty()
            ? op.withName(meta.path("name").asString())
            : op.inNamespace(namespace).withName(meta.path("name").asString());
    PatchContext ctx =
        new PatchContext.Builder()
            .withPatchType(PatchType.JSON)
            .withFieldManager(FIELD_MANAGER)
            .build();
    return toTree(client, named.patch(ctx, Yaml.toJson(ops)));
  }

  private static void op(ArrayNode ops, String path, JsonNode value) {
    // "add" replaces an existing member and creates a missing one
    ops.addObject().put("op", "add").put("path", path).set("value", value);
  }

  public static ObjectNode create(KubernetesClient client, ObjectNode object) {
    GenericKubernetesResource r = fromTree(client, object);
    return toTree(client, resource(client, r).create());
  }

  private static io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> resource(
      KubernetesClient client, GenericKubernetesResource r) {
    var op = client.genericKubernetesResources(r.getApiVersion(), r.getKind());
    String ns = r.getMetadata().getNamespace();
    return ns == null ? op.resource(r) : op.inNamespace(ns).resource(r);
  }

  /** RFC 7386 merge patch of the object (or of its status subresource). */
  public static ObjectNode mergePatch(
      KubernetesClient client,
      String apiVersion,
      String kind,
      String namespace,
      String name,
      JsonNode patch,
      boolean status) {
    var resource =
        client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name);
    PatchContext ctx =
        new PatchContext.Builder()
            .withPatchType(PatchType.JSON_MERGE)
            .withFieldManager(FIELD_MANAGER)
            .build();
    String json = Yaml.toJson(patch);
    GenericKubernetesResource out =
        status ? resource.subresource("status").patch(ctx, json) : resource.patch(ctx, json);
    return toTree(client, out);
  }

  public static boolean isConflict(KubernetesClientException e) {
    return e.getCode() == 409;
  }

  public static boolean isNotFound(KubernetesClientException e) {
    return e.getCode() == 404;
  }

  public static ObjectNode toTree(KubernetesClient client, GenericKubernetesResource r) {
    return (ObjectNode) Yaml.mapper().readTree(client.getKubernetesSerialization().asJson(r));
  }

  public static GenericKubernetesResource fromTree(KubernetesClient client, ObjectNode o) {
    return client
        .getKubernetesSerialization()
        .unmarshal(Yaml.toJson(o), GenericKubernetesResource.class);
  }
}
