package io.glidepath.kube.internal;

import io.glidepath.core.app.Application;
import io.glidepath.core.project.ProjectGuard;
import io.glidepath.core.project.ProjectVerdict;
import io.glidepath.core.project.ProjectViolation;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.sync.Hook;
import io.glidepath.core.sync.SyncPlanner;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.apply.PropagationPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * {@code argocd.argoproj.io/sync-options: Delete=false} or {@code helm.sh/resource-policy: keep} is
 * left alone), and once none is left the finalizer is removed, so that the API server deletes the
 * object.
 *
 * <p>As in Argo CD, only what the app's project permits is deleted, judged by the same {@link
 * ProjectGuard} check a sync passes: when the app's destination itself is not permitted nothing is
 * deleted and the finalizer is removed at once; a resource of a kind (or in a namespace) the
 * project does not permit is left in place and named in the outcome, and does not hold the
 * finalizer. Resources are deleted in reverse sync-wave order ({@code
 * argocd.argoproj.io/sync-wave}, default 0): a wave is deleted only once every resource of higher
 * waves is gone.
 */
final class ApplicationDeletion {
  static final String FOREGROUND = Application.RESOURCES_FINALIZER + "/foreground";
  static final String BACKGROUND = Application.RESOURCES_FINALIZER + "/background";

  /**
   * What one pass did.
   *
   * @param notPermitted why resources were left in place: one message per resource the project does
   *     not permit, or the single message of a destination it does not permit (then nothing was
   *     deleted)
   */
  record Outcome(
      int deleted,
      int remaining,
      List<String> failures,
      boolean finalizerRemoved,
      List<String> notPermitted) {
    Outcome {
      failures = List.copyOf(failures);
      notPermitted = List.copyOf(notPermitted);
    }
  }

  // where the app's resources are (the destination) and where its Application object is
  private final DefaultKubeCluster cluster;
  private final DefaultKubeCluster control;
  private final ProjectGuard guard;
  // the kinds argocd-cm lets the app manage: an excluded kind is neither seen nor deleted
  private final java.util.function.Predicate<Resource> managed;

  ApplicationDeletion(
      DefaultKubeCluster control,
      DefaultKubeCluster destination,
      ProjectGuard guard,
      java.util.function.Predicate<Resource> managed) {
    this.cluster = destination;
    this.control = control;
    this.guard = guard;
    this.managed = managed;
  }

  private ResourceSet liveState(String app) {
    return cluster.liveState(app).filter(managed);
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
   * One pass: deletes the app's permitted resources wave by wave (highest first), as long as each
   * wave is gone at once; then, when none is left, removes the finalizer (with the object's
   * resourceVersion, so a concurrent edit makes it wait a pass).
   */
  Outcome finalizeDeletion(Application app, Resource object, String finalizer) {
    PropagationPolicy policy =
        finalizer.equals(BACKGROUND) ? PropagationPolicy.BACKGROUND : PropagationPolicy.FOREGROUND;
    List<String> failures = new ArrayList<>();
    ResourceSet live = liveState(app.name());
    Judged judged = judge(app, live);
    if (judged.refusal().isPresent()) {
      // Argo CD: a destination the project does not permit is not touched
      List<String> refusal = List.of(judged.refusal().get());
      if (judged.destinationRefused()) {
        String problem = removeFinalizer(object, finalizer);
        if (!problem.isEmpty()) {
          failures.add(problem);
        }
        return new Outcome(0, 0, failures, problem.isEmpty(), refusal);
      }
      failures.add("nothing deleted: " + refusal.get(0));
      return new Outcome(0, live.size(), failures, false, List.of());
    }
    int deleted = 0;
    List<Resource> toDelete = judged.toDelete();
    while (!toDelete.isEmpty() && toDelete.stream().noneMatch(r -> deleting(r.body()))) {
      int wave = toDelete.stream().mapToInt(ApplicationDeletion::wave).max().getAsInt();
      for (Resource r : toDelete) {
        if (wave(r) != wave) {
          continue;
        }
        String problem = delete(r, policy);
        if (problem.isEmpty()) {
          deleted++;
        } else {
          failures.add(problem);
        }
      }
      if (!failures.isEmpty()) {
        break;
      }
      judged = judge(app, liveState(app.name()));
      if (judged.refusal().isPresent()) {
        break; // the project changed meanwhile: judged again on the next pass
      }
      toDelete = judged.toDelete();
    }
    if (!toDelete.isEmpty() || !failures.isEmpty() || judged.refusal().isPresent()) {
      return new Outcome(deleted, toDelete.size(), failures, false, judged.notPermitted());
    }
    String problem = removeFinalizer(object, finalizer);
    if (!problem.isEmpty()) {
      failures.add(problem);
    }
    return new Outcome(deleted, 0, failures, problem.isEmpty(), judged.notPermitted());
  }

  /**
   * The live resources judged against the app's project.
   *
   * @param refusal why nothing may be deleted (the project is missing, or the destination is not
   *     permitted)
   * @param destinationRefused whether the refusal is the destination's
   * @param toDelete the resources to delete: owned, permitted, not {@code Delete=false}
   * @param notPermitted one message per owned resource the project does not permit
   */
  private record Judged(
      Optional<String> refusal,
      boolean destinationRefused,
      List<Resource> toDelete,
      List<String> notPermitted) {}

  private Judged judge(Application app, ResourceSet live) {
    ProjectVerdict verdict = guard.checkResources(app, live);
    Map<ResourceKey, String> forbidden = new LinkedHashMap<>();
    for (ProjectViolation v : verdict.violations()) {
      if (v.resource().isPresent()) {
        forbidden.merge(v.resource().get(), v.message(), (a, b) -> a + "; " + b);
      } else if (v.rule().equals("destinations")) {
        return new Judged(Optional.of(v.message()), true, List.of(), List.of());
      } else if (v.rule().equals("project")) {
        return new Judged(Optional.of(v.message()), false, List.of(), List.of());
      }
      // sourceRepos and sourceNamespaces concern syncing, not deleting (as in Argo CD)
    }
    List<Resource> toDelete = new ArrayList<>();
    for (Resource r : live) {
      if (!kept(r) && !forbidden.containsKey(r.key())) {
        toDelete.add(r);
      }
    }
    return new Judged(
        Optional.empty(),
        false,
        toDelete,
        forbidden.values().stream().map(m -> "left in place: " + m).toList());
  }

  /** The resource's sync wave; 0 when it has none or it is not an integer. */
  static int wave(Resource r) {
    try {
      return Integer.parseInt(r.annotations().getOrDefault(SyncPlanner.SYNC_WAVE, "0").trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** {@code Delete=false}, or Helm's {@code helm.sh/resource-policy: keep} (as in Argo CD). */
  private static boolean kept(Resource r) {
    return Hook.keptOnDeletion(r);
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

  /**
   * Removes {@code finalizer} from the object (with its resourceVersion, so a concurrent edit makes
   * it wait a pass); returns a problem, or "" when done.
   */
  String removeFinalizer(Resource object, String finalizer) {
    ArrayNode kept = Yaml.mapper().createArrayNode();
    for (JsonNode f : object.body().path("metadata").path("finalizers")) {
      if (!f.asString("").equals(finalizer)) {
        kept.add(f.deepCopy());
      }
    }
    return writeFinalizers(object, kept, "finalizer " + finalizer + " not removed from ");
  }

  /**
   * Adds those of {@code finalizers} the object does not carry yet (at the end); returns a problem,
   * or "" when done (or nothing was missing).
   */
  String addFinalizers(Resource object, List<String> finalizers) {
    ArrayNode all = Yaml.mapper().createArrayNode();
    List<String> have = new ArrayList<>();
    for (JsonNode f : object.body().path("metadata").path("finalizers")) {
      all.add(f.deepCopy());
      have.add(f.asString(""));
    }
    boolean added = false;
    for (String f : finalizers) {
      if (!have.contains(f)) {
        all.add(f);
        added = true;
      }
    }
    return added ? writeFinalizers(object, all, "finalizers not added to ") : "";
  }

  private String writeFinalizers(Resource object, ArrayNode finalizers, String failure) {
    ObjectNode patch = Yaml.mapper().createObjectNode();
    ObjectNode meta = patch.putObject("metadata");
    meta.set("finalizers", finalizers);
    String version = object.body().path("metadata").path("resourceVersion").asString("");
    if (!version.isEmpty()) {
      meta.put("resourceVersion", version);
    }
    ResourceKey key = object.key();
    ResourceType type = control.typeOf(key);
    KubeApi.Answer a =
        control
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
    return failure + key + " (" + a.code() + " " + a.reason() + "): " + a.message();
  }
}
