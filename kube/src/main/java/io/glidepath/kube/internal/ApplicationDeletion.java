package io.glidepath.kube.internal;

import io.glidepath.core.app.Application;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.apply.PropagationPolicy;
import io.glidepath.kube.apply.Pruner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Argo CD's cascading deletion of an Application: while the object carries {@code
 * resources-finalizer.argocd.argoproj.io} (or its {@code /foreground} or {@code /background}
 * variant) and has a {@code deletionTimestamp}, every resource the app owns by its tracking id is
 * deleted (foreground, or background for the {@code /background} variant; a resource annotated
 * {@code argocd.argoproj.io/sync-options: Delete=false} is left alone), and once none is left the
 * finalizer is removed, so that the API server deletes the object.
 */
final class ApplicationDeletion {
  static final String FOREGROUND = Application.RESOURCES_FINALIZER + "/foreground";
  static final String BACKGROUND = Application.RESOURCES_FINALIZER + "/background";

  /** What one pass did. */
  record Outcome(int deleted, int remaining, List<String> failures, boolean finalizerRemoved) {}

  private final DefaultKubeCluster cluster;

  ApplicationDeletion(DefaultKubeCluster cluster) {
    this.cluster = cluster;
  }

  /** The Argo CD resources finalizer the object carries, if any. */
  static Optional<String> cascadeFinalizer(JsonNode object) {
    for (JsonNode f : object.path("metadata").path("finalizers")) {
      String name = f.asString("");
      if (name.equals(Application.RESOURCES_FINALIZER)
          || name.equals(FOREGROUND)
          || name.equals(BACKGROUND)) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  /** Argo CD's condition type for a cascading deletion that failed. */
  static final String DELETION_ERROR = "DeletionError";

  /** The message of the object's {@code DeletionError} condition, "" when it has none. */
  static String deletionErrorMessage(JsonNode object) {
    for (JsonNode c : object.path("status").path("conditions")) {
      if (c.path("type").asString("").equals(DELETION_ERROR)) {
        return c.path("message").asString("");
      }
    }
    return "";
  }

  /**
   * The object's {@code status.conditions} with its DeletionError replaced by one with {@code
   * message} (none when it is ""); the other conditions are kept. JSON null when none is left, so
   * that a merge patch removes the field.
   */
  static JsonNode conditions(Resource object, String message, Instant now) {
    ArrayNode out = Yaml.mapper().createArrayNode();
    for (JsonNode c : object.body().path("status").path("conditions")) {
      if (!c.path("type").asString("").equals(DELETION_ERROR)) {
        out.add(c.deepCopy());
      }
    }
    if (!message.isEmpty()) {
      out.addObject()
          .put("type", DELETION_ERROR)
          .put("message", message)
          .put("lastTransitionTime", now.toString());
    }
    return out.isEmpty() ? NullNode.getInstance() : out;
  }

  /** Whether the object is being deleted (it has a {@code deletionTimestamp}). */
  static boolean deleting(JsonNode object) {
    return !object.path("metadata").path("deletionTimestamp").asString("").isEmpty();
  }

  /**
   * One pass: deletes the app's resources not already going, then, when none is left, removes the
   * finalizer (with the object's resourceVersion, so a concurrent edit makes it wait a pass).
   */
  Outcome finalizeDeletion(String app, Resource object, String finalizer) {
    PropagationPolicy policy =
        finalizer.equals(BACKGROUND) ? PropagationPolicy.BACKGROUND : PropagationPolicy.FOREGROUND;
    List<String> failures = new ArrayList<>();
    int deleted = 0;
    for (Resource r : cluster.liveState(app)) {
      if (kept(r) || deleting(r.body())) {
        continue;
      }
      String problem = delete(r, policy);
      if (problem.isEmpty()) {
        deleted++;
      } else {
        failures.add(problem);
      }
    }
    ResourceSet left = cluster.liveState(app).filter(r -> !kept(r));
    if (!left.isEmpty() || !failures.isEmpty()) {
      return new Outcome(deleted, left.size(), failures, false);
    }
    String problem = removeFinalizer(object, finalizer);
    if (!problem.isEmpty()) {
      failures.add(problem);
    }
    return new Outcome(deleted, 0, failures, problem.isEmpty());
  }

  private static boolean kept(Resource r) {
    for (String option : r.annotations().getOrDefault(Pruner.SYNC_OPTIONS, "").split(",")) {
      if (option.trim().equalsIgnoreCase("Delete=false")) {
        return true;
      }
    }
    return false;
  }

  private String delete(Resource r, PropagationPolicy policy) {
    ResourceKey key = r.key();
    ResourceType type = cluster.typeOf(key);
    ObjectNode options = Yaml.mapper().createObjectNode();
    options.put("kind", "DeleteOptions");
    options.put("apiVersion", "v1");
    options.put("propagationPolicy", policy.apiValue());
    String uid = r.body().path("metadata").path("uid").asString("");
    if (!uid.isEmpty()) {
      options.putObject("preconditions").put("uid", uid);
    }
    KubeApi.Answer a =
        cluster
            .api()
            .send(
                "DELETE",
                type.itemPath(key.namespace(), key.name()),
                "application/json",
                Yaml.toJson(options),
                key);
    if (a.ok() || a.code() == 404) {
      return "";
    }
    return "delete of " + key + " failed (" + a.code() + " " + a.reason() + "): " + a.message();
  }

  private String removeFinalizer(Resource object, String finalizer) {
    ArrayNode kept = Yaml.mapper().createArrayNode();
    for (JsonNode f : object.body().path("metadata").path("finalizers")) {
      if (!f.asString("").equals(finalizer)) {
        kept.add(f.deepCopy());
      }
    }
    ObjectNode patch = Yaml.mapper().createObjectNode();
    ObjectNode meta = patch.putObject("metadata");
    meta.set("finalizers", kept);
    String version = object.body().path("metadata").path("resourceVersion").asString("");
    if (!version.isEmpty()) {
      meta.put("resourceVersion", version);
    }
    ResourceKey key = object.key();
    ResourceType type = cluster.typeOf(key);
    KubeApi.Answer a =
        cluster
            .api()
            .send(
                "PATCH",
                type.itemPath(key.namespace(), key.name()),
                "application/merge-patch+json",
                Yaml.toJson(patch),
                key);
    if (a.ok() || a.code() == 404) {
      return "";
    }
    return "finalizer "
        + finalizer
        + " not removed from "
        + key
        + " ("
        + a.code()
        + " "
        + a.reason()
        + "): "
        + a.message();
  }
}
