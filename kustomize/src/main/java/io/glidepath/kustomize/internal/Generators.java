package io.glidepath.kustomize.internal;

import io.glidepath.kustomize.KustomizeException.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code configMapGenerator} and {@code secretGenerator}: literals, files and env files, {@code
 * behavior: create|merge|replace}, generator options, and the hash-suffix flag. Values are never
 * put into messages.
 */
final class Generators {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Generators() {}

  static void run(KustTarget.Kust k, List<Res> ra, KustTarget t) {
    JsonNode global = k.doc.get("generatorOptions");
    int i = 0;
    for (JsonNode g : k.list("configMapGenerator")) {
      generate(k, "configMapGenerator[" + i++ + "]", g, global, false, ra, t);
    }
    i = 0;
    for (JsonNode g : k.list("secretGenerator")) {
      generate(k, "secretGenerator[" + i++ + "]", g, global, true, ra, t);
    }
  }

  private static void generate(
      KustTarget.Kust k,
      String entry,
      JsonNode g,
      JsonNode global,
      boolean secret,
      List<Res> ra,
      KustTarget t) {
    if (!g.isObject()) {
      throw k.error(entry, Problem.INVALID_VALUE, "must be a map", null);
    }
    String name = k.str(g, "name", entry + ".name");
    if (name.isEmpty()) {
      throw k.error(entry + ".name", Problem.INVALID_VALUE, "is required", null);
    }
    String behavior = k.str(g, "behavior", entry + ".behavior");
    if (behavior.isEmpty()) {
      behavior = "create";
    }
    if (!List.of("create", "merge", "replace").contains(behavior)) {
      throw k.error(
          entry + ".behavior",
          Problem.INVALID_VALUE,
          "must be create, merge or replace, but is " + behavior,
          null);
    }
    Map<String, String> text = new TreeMap<>();
    Map<String, byte[]> binary = new TreeMap<>();
    int j = 0;
    for (JsonNode lit : list(k, entry + ".literals", g.get("literals"))) {
      String e = entry + ".literals[" + j++ + "]";
      String s = lit.asString();
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw k.error(e, Problem.INVALID_VALUE, "a literal must be KEY=VALUE", null);
      }
      put(
          k,
          e,
          text,
          binary,
          s.substring(0, eq),
          unquote(s.substring(eq + 1)).getBytes(StandardCharsets.UTF_8));
    }
    j = 0;
    for (JsonNode f : list(k, entry + ".files", g.get("files"))) {
      String e = entry + ".files[" + j++ + "]";
      String s = f.asString();
      String key;
      String path;
      int eq = s.indexOf('=');
      if (eq >= 0) {
        key = s.substring(0, eq);
        path = s.substring(eq + 1);
        if (key.isEmpty() || path.isEmpty()) {
          throw k.error(e, Problem.INVALID_VALUE, "must be PATH or KEY=PATH", null);
        }
      } else {
        path = s;
        key = Path.of(s).getFileName().toString();
      }
      Path file = t.resolveFile(k, e, path);
      put(k, e, text, binary, key, t.readBytes(k, e, file));
    }
    j = 0;
    List<JsonNode> envs = new java.util.ArrayList<>(list(k, entry + ".envs", g.get("envs")));
    if (g.hasNonNull("env")) {
      envs.add(g.get("env"));
    }
    for (JsonNode env : envs) {
      String e = entry + ".envs[" + j++ + "]";
      Path file = t.resolveFile(k, e, env.asString());
      String content = t.text(k, e, file);
      int line = 0;
      for (String l : content.split("\n", -1)) {
        line++;
        String trimmed = l.replaceFirst("^\\s+", "");
        if (trimmed.endsWith("\r")) {
          trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        int eq = trimmed.indexOf('=');
        if (eq <= 0) {
          throw k.error(
              e,
              Problem.INVALID_VALUE,
              "line " + line + " of " + env.asString() + " is not KEY=VALUE",
              null);
        }
        put(
            k,
            e,
            text,
            binary,
            trimmed.substring(0, eq),
            trimmed.substring(eq + 1).getBytes(StandardCharsets.UTF_8));
      }
    }
    ObjectNode body = F.objectNode();
    body.put("apiVersion", "v1");
    body.put("kind", secret ? "Secret" : "ConfigMap");
    ObjectNode meta = body.putObject("metadata");
    meta.put("name", name);
    String ns = k.str(g, "namespace", entry + ".namespace");
    if (!ns.isEmpty()) {
      meta.put("namespace", ns);
    }
    JsonNode local = g.get("options");
    Map<String, String> labels = new LinkedHashMap<>();
    labels.putAll(
        k.stringMap(global == null ? null : global.get("labels"), "generatorOptions.labels"));
    labels.putAll(
        k.stringMap(local == null ? null : local.get("labels"), entry + ".options.labels"));
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.putAll(
        k.stringMap(
            global == null ? null : global.get("annotations"), "generatorOptions.annotations"));
    annotations.putAll(
        k.stringMap(
            local == null ? null : local.get("annotations"), entry + ".options.annotations"));
    if (!labels.isEmpty()) {
      ObjectNode l = meta.putObject("labels");
      labels.forEach(l::put);
    }
    if (!annotations.isEmpty()) {
      ObjectNode a = meta.putObject("annotations");
      annotations.forEach(a::put);
    }
    if (secret) {
      String type = k.str(g, "type", entry + ".type");
      body.put("type", type.isEmpty() ? "Opaque" : type);
      if (!text.isEmpty() || !binary.isEmpty()) {
        ObjectNode data = body.putObject("data");
        text.forEach(
            (key, v) -> data.put(key, KustTarget.base64(v.getBytes(StandardCharsets.UTF_8))));
        binary.forEach((key, v) -> data.put(key, KustTarget.base64(v)));
      }
    } else {
      if (!text.isEmpty()) {
        ObjectNode data = body.putObject("data");
        text.forEach(data::put);
      }
      if (!binary.isEmpty()) {
        ObjectNode data = body.putObject("binaryData");
        binary.forEach((key, v) -> data.put(key, KustTarget.base64(v)));
      }
    }
    boolean immutable = flag(global, "immutable") || flag(local, "immutable");
    if (immutable) {
      body.put("immutable", true);
    }
    Res r = new Res(body, KustTarget.origin(k, entry));
    r.needsHash = !(flag(global, "disableNameSuffixHash") || flag(local, "disableNameSuffixHash"));
    r.behavior = behavior;
    add(k, entry, ra, r, t);
  }

  private static boolean flag(JsonNode options, String field) {
    return options != null && options.path(field).asBoolean(false);
  }

  private static List<JsonNode> list(KustTarget.Kust k, String entry, JsonNode n) {
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw k.error(entry, Problem.INVALID_VALUE, "must be a list", null);
    }
    List<JsonNode> out = new java.util.ArrayList<>();
    n.forEach(out::add);
    return out;
  }

  private static void put(
      KustTarget.Kust k,
      String entry,
      Map<String, String> text,
      Map<String, byte[]> binary,
      String key,
      byte[] value) {
    if (!KustTarget.validKey(key)) {
      throw k.error(
          entry,
          Problem.INVALID_VALUE,
          "\"" + key + "\" is not a valid key: use letters, digits, '-', '_' and '.'",
          null);
    }
    if (text.containsKey(key) || binary.containsKey(key)) {
      throw k.error(entry, Problem.CONFLICT, "key \"" + key + "\" is given twice", null);
    }
    try {
      text.put(key, StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString());
    } catch (CharacterCodingException e) {
      binary.put(key, value);
    }
  }

  private static String unquote(String v) {
    if (v.length() >= 2
        && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  /** kustomize's appendReplaceOrMerge. */
  private static void add(KustTarget.Kust k, String entry, List<Res> ra, Res r, KustTarget t) {
    Res old = null;
    for (Res candidate : ra) {
      if (!candidate.kind().equals(r.kind()) || !candidate.group().equals(r.group())) {
        continue;
      }
      for (Res.Id id : candidate.allIds()) {
        if (id.name().equals(r.name())
            && candidate.effective(id.namespace()).equals(r.effectiveNamespace())) {
          old = candidate;
          break;
        }
      }
      if (old != null) {
        break;
      }
    }
    if (old == null) {
      if (!r.behavior.equals("create")) {
        throw k.error(
            entry,
            Problem.NO_PATCH_TARGET,
            "behavior "
                + r.behavior
                + " needs an existing "
                + r.kind()
                + " \""
                + r.name()
                + "\" from a base, but there is none",
            null);
      }
      ra.add(r);
      return;
    }
    if (r.behavior.equals("create")) {
      throw k.error(
          entry,
          Problem.CONFLICT,
          r.kind()
              + " \""
              + r.name()
              + "\" already exists (from "
              + old.origin
              + "); use behavior merge or replace",
          null);
    }
    ObjectNode merged = r.body.deepCopy();
    ObjectNode meta = merged.withObjectProperty("metadata");
    for (String field : List.of("labels", "annotations")) {
      ObjectNode m = F.objectNode();
      JsonNode o = old.body.path("metadata").path(field);
      if (o.isObject()) {
        m.setAll((ObjectNode) o);
      }
      JsonNode n = meta.path(field);
      if (n.isObject()) {
        m.setAll((ObjectNode) n);
      }
      if (m.isEmpty()) {
        meta.remove(field);
      } else {
        meta.set(field, m);
      }
    }
    meta.put("name", old.name());
    if (old.namespace().isEmpty()) {
      meta.remove("namespace");
    } else {
      meta.put("namespace", old.namespace());
    }
    if (r.behavior.equals("merge")) {
      for (String field : List.of("data", "binaryData")) {
        ObjectNode m = F.objectNode();
        JsonNode o = old.body.path(field);
        if (o.isObject()) {
          m.setAll((ObjectNode) o);
        }
        JsonNode n = merged.path(field);
        if (n.isObject()) {
          m.setAll((ObjectNode) n);
        }
        if (!m.isEmpty()) {
          merged.set(field, m);
        }
      }
    }
    old.body = merged;
  }
}
