package io.glidepath.rollout.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.ResourceType;
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

  // the fencing check of a sharded driver, run immediately before each write sent through this
  // class on this thread (after the read its precondition comes from); null: not sharded
  private static final ThreadLocal<Runnable> FENCE = new ThreadLocal<>();

  private Kube() {}

  /**
   * Runs {@code action} with {@code check} immediately before each write it sends through this
   * class on this thread: after the object was read and before the write that carries its
   * resourceVersion as a precondition, so a write that passed the check but arrives after another
   * replica took the rollout over and changed the object is refused (409).
   */
  public static <T> T fenced(Runnable check, java.util.function.Supplier<T> action) {
    Runnable outer = FENCE.get();
    FENCE.set(java.util.Objects.requireNonNull(check, "check"));
    try {
      return action.get();
    } finally {
      if (outer == null) {
        FENCE.remove();
      } else {
        FENCE.set(outer);
      }
    }
  }

  /** {@link #fenced(Runnable, java.util.function.Supplier)} of an action without a result. */
  public static void fenced(Runnable check, Runnable action) {
    fenced(
        check,
        () -> {
          action.run();
          return null;
        });
  }

  /** Whether writes on this thread are fenced (a sharded driver's): they carry preconditions. */
  public static boolean isFenced() {
    return FENCE.get() != null;
  }

  /**
   * Runs the fencing check of this thread, if any: for a write not sent through this class (it
   * carries no precondition of this class's making).
   */
  public static void beforeWrite() {
    Runnable check = FENCE.get();
    if (check != null) {
      check.run();
    }
  }

  /**
   * Under a fence, {@code patch} gets {@code read}'s resourceVersion as a precondition (the API
   * server refuses the patch with 409 once the object changed); otherwise it is left as it is.
   */
  public static void atVersionWhenFenced(ObjectNode patch, ObjectNode read) {
    String v = read.path("metadata").path("resourceVersion").asString("");
    if (isFenced() && !v.isEmpty()) {
      JsonNode meta = patch.get("metadata");
      (meta instanceof ObjectNode m ? m : patch.putObject("metadata")).put("resourceVersion", v);
    }
  }

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
    beforeWrite();
    return toTree(client, named.patch(ctx, Yaml.toJson(ops)));
  }

  /**
   * An RFC 6902 JSON patch of the object; under a fence it begins with an {@code add} of {@code
   * read}'s resourceVersion, a precondition.
   */
  public static ObjectNode jsonPatch(
      KubernetesClient client,
      String apiVersion,
      String kind,
      String namespace,
      String name,
      ArrayNode ops,
      ObjectNode read) {
    ArrayNode sent = ops;
    String v = read.path("metadata").path("resourceVersion").asString("");
    if (isFenced() && !v.isEmpty()) {
      sent = Yaml.mapper().createArrayNode();
      op(sent, "/metadata/resourceVersion", tools.jackson.databind.node.StringNode.valueOf(v));
      sent.addAll(ops);
    }
    PatchContext ctx =
        new PatchContext.Builder()
            .withPatchType(PatchType.JSON)
            .withFieldManager(FIELD_MANAGER)
            .build();
    var resource =
        client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name);
    beforeWrite();
    return toTree(client, resource.patch(ctx, Yaml.toJson(sent)));
  }

  /**
   * Deletes the object {@code read}; under a fence with its resourceVersion as a precondition
   * (DeleteOptions), so a delete that arrives after the object changed is refused (409). False when
   * it was gone already.
   */
  public static boolean delete(
      KubernetesClient client, String apiVersion, String kind, ObjectNode read) {
    JsonNode meta = read.path("metadata");
    var named =
        client
            .genericKubernetesResources(apiVersion, kind)
            .inNamespace(meta.path("namespace").asString(""))
            .withName(meta.path("name").asString());
    String v = meta.path("resourceVersion").asString("");
    beforeWrite();
    var deleted =
        isFenced() && !v.isEmpty() ? named.lockResourceVersion(v).delete() : named.delete();
    return !deleted.isEmpty();
  }

  private static void op(ArrayNode ops, String path, JsonNode value) {
    // "add" replaces an existing member and creates a missing one
    ops.addObject().put("op", "add").put("path", path).set("value", value);
  }

  /** Creates the object (a create fails with 409 when it exists, fenced or not). */
  public static ObjectNode create(KubernetesClient client, ObjectNode object) {
    GenericKubernetesResource r = fromTree(client, object);
    beforeWrite();
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
    beforeWrite();
    GenericKubernetesResource out =
        status ? resource.subresource("status").patch(ctx, json) : resource.patch(ctx, json);
    return toTree(client, out);
  }

  /**
   * Whether discovery lists a {@code status} subresource for {@code plural} in {@code apiVersion}
   * (read as {@link ResourceType#fromDiscovery} reads it), or empty when discovery does not list
   * the type or cannot be read.
   */
  public static Optional<Boolean> statusSubresource(
      KubernetesClient client, String apiVersion, String plural) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    String json;
    try {
      json = client.raw(group.isEmpty() ? "/api/" + version : "/apis/" + apiVersion);
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
    if (json == null) {
      return Optional.empty();
    }
    return ResourceType.fromDiscovery(group, version, Yaml.mapper().readTree(json)).stream()
        .filter(t -> t.plural().equals(plural))
        .findFirst()
        .map(ResourceType::hasStatusSubresource);
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
