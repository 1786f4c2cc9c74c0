package io.glidepath.kube.internal;

import io.glidepath.core.Redaction;
import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationException;
import io.glidepath.core.app.ApplicationSource;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads an Application's spec from its object in the cluster, reads back and compares the source
 * recorded in {@code operationState.syncResult.source}, and keeps the object's InvalidSpecError
 * condition.
 */
final class ApplicationSpec {
  private ApplicationSpec() {}

  /**
   * The Application the object describes: its name, namespace, labels, annotations, finalizers and
   * spec, read as strictly as {@link Application#read} reads a file (what the API server adds —
   * uid, resourceVersion, managedFields, status, an {@code operation} — is left out).
   *
   * @throws ApplicationException naming the field ({@code spec.source}) when the spec is unusable
   */
  static Application read(Resource object) {
    ObjectNode trimmed = trimmed(object.body());
    return parse(trimmed, digest(trimmed), origin(object));
  }

  /**
   * The Applications read lately, by the digest of the trimmed object they were read from (its name
   * and namespace included, so the origin too), held weakly: the feed's read of a new object and
   * the first read of the controller it starts (the same object, through the watch) parse once. The
   * Application is an immutable record, so whoever reads the same JSON may share it.
   */
  private static final Map<ByteBuffer, Recent> RECENT = new ConcurrentHashMap<>();

  private static final ReferenceQueue<Application> CLEARED = new ReferenceQueue<>();

  private static final AtomicLong PARSES = new AtomicLong();

  private static final class Recent extends WeakReference<Application> {
    final ByteBuffer key;

    Recent(ByteBuffer key, Application app) {
      super(app, CLEARED);
      this.key = key;
    }
  }

  /** How many times an Application was parsed from an object (not found among the recent). */
  static long parses() {
    return PARSES.get();
  }

  private static Application parse(ObjectNode trimmed, byte[] digest, String origin) {
    ByteBuffer key = ByteBuffer.wrap(digest);
    Recent recent = RECENT.get(key);
    Application app = recent == null ? null : recent.get();
    if (app != null) {
      return app;
    }
    // the tree as read: no text to parse again (nor lines to name in errors)
    app = Application.read(trimmed, origin);
    PARSES.incrementAndGet();
    for (Object gone; (gone = CLEARED.poll()) != null; ) {
      RECENT.remove(((Recent) gone).key, gone);
    }
    RECENT.put(key, new Recent(key, app));
    return app;
  }

  private static byte[] digest(ObjectNode trimmed) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Yaml.mapper().writeValueAsBytes(trimmed));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /**
   * {@link #read}, remembering the last spec read: an object whose spec, labels, annotations and
   * finalizers did not change since (every status write and resync) is not parsed again, nor one
   * {@link #read} has just read (the feed's read of the object that started the controller). Not
   * thread-safe: one per controller, used under its lock.
   */
  static final class LastRead {
    private byte[] digest;
    private Application app;

    Application read(Resource object) {
      ObjectNode trimmed = trimmed(object.body());
      byte[] d = digest(trimmed);
      if (app != null && Arrays.equals(d, digest)) {
        return app;
      }
      Application read = parse(trimmed, d, origin(object));
      digest = d;
      app = read;
      return read;
    }
  }

  /** The object reduced to what {@link #read} looks at, for telling one spec from another. */
  static ObjectNode trimmed(JsonNode object) {
    ObjectNode tree = Yaml.mapper().createObjectNode();
    tree.set("apiVersion", object.path("apiVersion").deepCopy());
    tree.set("kind", object.path("kind").deepCopy());
    ObjectNode meta = tree.putObject("metadata");
    JsonNode m = object.path("metadata");
    for (String field : new String[] {"name", "namespace", "labels", "annotations", "finalizers"}) {
      if (m.has(field)) {
        meta.set(field, m.get(field).deepCopy());
      }
    }
    if (object.has("spec")) {
      tree.set("spec", object.get("spec").deepCopy());
    }
    return tree;
  }

  private static String origin(Resource object) {
    return "Application " + object.namespace().map(ns -> ns + "/").orElse("") + object.name();
  }

  /**
   * Whether two sources render the same, the target revision aside (the commit tells that) and the
   * credentials in the repository URL too: the status records the URL without them.
   */
  static boolean sameSource(ApplicationSource a, ApplicationSource b) {
    return withoutRevision(a).equals(withoutRevision(b));
  }

  /** {@link #sameSource} for every source, in order. */
  static boolean sameSources(List<ApplicationSource> a, List<ApplicationSource> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!sameSource(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The sources a sync result records: its {@code sources} (multi-source) or its {@code source};
   * empty when absent or unreadable.
   */
  static Optional<List<ApplicationSource>> fromJson(JsonNode syncResult) {
    if (syncResult == null || !syncResult.isObject()) {
      return Optional.empty();
    }
    if (syncResult.path("sources").isArray()) {
      List<ApplicationSource> out = new ArrayList<>();
      for (JsonNode n : syncResult.path("sources")) {
        Optional<ApplicationSource> one = sourceFromJson(n);
        if (one.isEmpty()) {
          return Optional.empty();
        }
        out.add(one.get());
      }
      return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }
    return sourceFromJson(syncResult.path("source")).map(List::of);
  }

  private static ApplicationSource withoutRevision(ApplicationSource s) {
    return new ApplicationSource(
        Redaction.url(s.repoURL()),
        "HEAD",
        s.path(),
        s.chart(),
        s.helm(),
        s.directory(),
        s.kustomize());
  }

  /**
   * A source as {@code ApplicationObjectStatus.source} (or Argo CD) recorded it; empty when absent
   * or unreadable.
   */
  static Optional<ApplicationSource> sourceFromJson(JsonNode source) {
    if (source == null || !source.isObject() || source.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode wrapper = Yaml.mapper().createObjectNode();
    wrapper.put("apiVersion", "argoproj.io/v1alpha1");
    wrapper.put("kind", "Application");
    wrapper.putObject("metadata").put("name", "recorded");
    ObjectNode spec = wrapper.putObject("spec");
    spec.set("source", source.deepCopy());
    spec.putObject("destination").put("server", "https://kubernetes.default.svc");
    try {
      return Optional.of(Application.read(wrapper, "recorded source").source());
    } catch (RuntimeException e) {
      // a source this reader does not know (e.g. written by a newer Argo CD): not comparable
      return Optional.empty();
    }
  }

  static final String INVALID_SPEC_ERROR = "InvalidSpecError";

  /** The message of the object's InvalidSpecError condition, or "" when it has none. */
  static String invalidSpecMessage(JsonNode object) {
    for (JsonNode c : object.path("status").path("conditions")) {
      if (c.path("type").asString("").equals(INVALID_SPEC_ERROR)) {
        return c.path("message").asString("");
      }
    }
    return "";
  }

  /**
   * The object's {@code status.conditions} with its InvalidSpecError replaced by one with {@code
   * message} (none when it is ""); the other conditions are kept. JSON null when none is left, so
   * that a merge patch removes the field.
   */
  static JsonNode conditions(Resource object, String message, Instant now) {
    return conditions(
        object, Map.of(INVALID_SPEC_ERROR, message.isEmpty() ? List.of() : List.of(message)), now);
  }

  static final String EXCLUDED_RESOURCE_WARNING = "ExcludedResourceWarning";

  /** The messages of the object's conditions of {@code type}, in order. */
  static List<String> conditionMessages(JsonNode object, String type) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : object.path("status").path("conditions")) {
      if (c.path("type").asString("").equals(type)) {
        out.add(c.path("message").asString(""));
      }
    }
    return out;
  }

  /**
   * The object's {@code status.conditions} with those of each type in {@code byType} replaced by
   * one per message given for it (a condition already there with the same type and message keeps
   * its {@code lastTransitionTime}); conditions of other types are kept. JSON null when none is
   * left, so that a merge patch removes the field.
   */
  static JsonNode conditions(Resource object, Map<String, List<String>> byType, Instant now) {
    ArrayNode out = Yaml.mapper().createArrayNode();
    Map<String, String> since = new HashMap<>();
    JsonNode current = object == null ? null : object.body().path("status").path("conditions");
    if (current != null) {
      for (JsonNode c : current) {
        String type = c.path("type").asString("");
        if (byType.containsKey(type)) {
          since.putIfAbsent(
              type + "\n" + c.path("message").asString(""),
              c.path("lastTransitionTime").asString(""));
        } else {
          out.add(c.deepCopy());
        }
      }
    }
    for (Map.Entry<String, List<String>> e : new TreeMap<>(byType).entrySet()) {
      for (String message : e.getValue()) {
        String at = since.getOrDefault(e.getKey() + "\n" + message, "");
        out.addObject()
            .put("type", e.getKey())
            .put("message", message)
            .put("lastTransitionTime", at.isEmpty() ? now.toString() : at);
      }
    }
    return out.isEmpty() ? NullNode.getInstance() : out;
  }
}
