package io.glidepath.kube.internal;

import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.ResourceType;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends merge patches of an object's {@code status} where its type keeps the status, as discovery
 * lists it ({@link ResourceType#statusPath}): the {@code /status} subresource when the type has
 * one, the object itself when it has none (Argo CD's Application CRD declares none), so that a
 * write costs one request and never a 404 first.
 *
 * <p>Discovery is cached, and a CRD may change after it: a {@code /status} that answers 404 or 405
 * is tried on the object itself, and when that succeeds the subresource is gone (discovery is
 * refreshed for the next writes). The other way round, a type that gained a status subresource
 * keeps the stored status on a write to the object: when the answer shows a status the patch did
 * not leave, discovery is refreshed and, if the type now lists {@code /status}, the patch is sent
 * there. A type whose answers keep differing without a subresource (the server prunes or defaults a
 * field) refreshes discovery once, not on every write.
 */
final class StatusWriter {
  private static final String MERGE_PATCH = "application/merge-patch+json";

  private final DefaultKubeCluster cluster;
  // types discovery was refreshed for and still lists without a status subresource
  private final Set<ResourceType> checkedWithoutStatus = ConcurrentHashMap.newKeySet();

  StatusWriter(DefaultKubeCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Sends {@code patch} ({@code {"status": ...}}, with a {@code metadata.resourceVersion}
   * precondition or not) once; with {@code atReadVersion}, under sharding, with the version read
   * before the fencing check (see {@link KubeApi#patchAtReadVersion}).
   */
  KubeApi.Answer patch(ResourceKey key, ObjectNode patch, boolean atReadVersion) {
    ResourceType type = cluster.typeOf(key);
    String object = type.itemPath(key.namespace(), key.name());
    KubeApi.Answer a =
        send(type.statusPath(key.namespace(), key.name()), object, patch, key, atReadVersion);
    if (type.hasStatusSubresource()) {
      if (a.code() != 404 && a.code() != 405) {
        return a;
      }
      // the object is gone, or the CRD no longer declares the subresource discovery listed
      KubeApi.Answer direct = send(object, object, patch, key, atReadVersion);
      if (direct.ok()) {
        cluster.refreshDiscovery();
      }
      return direct;
    }
    if (!a.ok()
        || statusKept(patch.path("status"), a.body().path("status"))
        || checkedWithoutStatus.contains(type)) {
      return a;
    }
    // the server kept another status: the CRD may have gained a status subresource
    cluster.refreshDiscovery();
    ResourceType now = cluster.typeOf(key);
    if (!now.hasStatusSubresource()) {
      checkedWithoutStatus.add(now);
      return a;
    }
    return send(now.statusPath(key.namespace(), key.name()), object, patch, key, atReadVersion);
  }

  /** The problem of a status write {@code a} refused or left unanswered, for messages. */
  static String notSaved(ResourceKey key, KubeApi.Answer a) {
    return "status not saved in " + key + " (" + a.code() + " " + a.reason() + "): " + a.message();
  }

  private KubeApi.Answer send(
      String path, String object, ObjectNode patch, ResourceKey key, boolean atReadVersion) {
    return atReadVersion
        ? cluster.api().patchAtReadVersion(path, MERGE_PATCH, patch, object, key)
        : cluster.api().send("PATCH", path, MERGE_PATCH, Yaml.toJson(patch), key);
  }

  /**
   * Whether {@code stored} is what the merge patch {@code patch} leaves: each field the patch
   * removes absent, each scalar it sets equal, each list it sets as long (lists are not compared
   * item by item: a mismatch is only a hint, and the check runs on every write).
   */
  static boolean statusKept(JsonNode patch, JsonNode stored) {
    if (!patch.isObject()) {
      return true;
    }
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      JsonNode want = e.getValue();
      JsonNode have = stored.get(e.getKey());
      if (want.isNull()) {
        if (have != null && !have.isNull()) {
          return false;
        }
      } else if (want.isObject()) {
        // an object the patch fills only with removals may be stored as {} or not at all
        JsonNode in = have == null ? MissingNode.getInstance() : have;
        if (!(in.isObject() || in.isMissingNode()) || !statusKept(want, in)) {
          return false;
        }
      } else if (have == null) {
        return false;
      } else if (want.isArray()) {
        if (!have.isArray() || have.size() != want.size()) {
          return false;
        }
      } else if (!want.equals(have) && !want.toString().equals(have.toString())) {
        return false;
      }
    }
    return true;
  }
}
