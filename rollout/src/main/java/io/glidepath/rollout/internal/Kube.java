package io.glidepath.rollout.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.glidepath.core.yaml.Yaml;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Generic object access through fabric8, with bodies as Jackson 3 trees. */
public final class Kube {
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

  /** Replaces the object (optimistic: its resourceVersion must be current). */
  public static ObjectNode update(KubernetesClient client, ObjectNode object) {
    GenericKubernetesResource r = fromTree(client, object);
    return toTree(client, resource(client, r).update());
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
    PatchContext ctx = PatchContext.of(PatchType.JSON_MERGE);
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
