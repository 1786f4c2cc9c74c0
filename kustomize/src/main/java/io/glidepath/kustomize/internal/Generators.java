package io.glidepath.kustomize.internal;

import io.glidepath.core.Origin;
import io.glidepath.kustomize.KustomizeException.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code configMapGenerator} and {@code secretGenerator}: literals, files and env files, {@code
 * behavior: create|merge|replace}, generator options (a generator's own labels and annotations win
 * over the kustomization's {@code generatorOptions}), and the hash-suffix flag. Base64 values are
 * wrapped at 70 columns like kustomize's. Values are never put into messages.
 */
final class Generators {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  private final FileAccess files;

  Generators(FileAccess files) {
    this.files = files;
  }

  void run(Kust k, List<Res> ra) {
    JsonNode global = k.doc.get("generatorOptions");
    for (String field : List.of("configMapGenerator", "secretGenerator")) {
      int i = 0;
      for (JsonNode g : k.list(field)) {
        String entry = field + "[" + i++ + "]";
        add(k, entry, ra, generate(k, entry, g, global, field.equals("secretGenerator")));
      }
    }
  }

  /** A ConfigMap or Secret from one generator entry in kustomize's form (also used by plugins). */
  Res generate(Kust k, String entry, JsonNode g, JsonNode global, boolean secret) {
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
    String what = (secret ? "secret " : "configmap ") + name;
    Map<String, byte[]> values = new LinkedHashMap<>();
    int j = 0;
    for (String s : k.strings(g.get("literals"), entry + ".literals")) {
      String e = entry + ".literals[" + j++ + "]";
      int eq = s.indexOf('=');
      if (eq < 0) {
        throw k.error(e, Problem.INVALID_VALUE, "a literal must be KEY=VALUE", null);
      }
      put(
          k,
          e,
          what,
          values,
          s.substring(0, eq),
          unquote(s.substring(eq + 1)).getBytes(StandardCharsets.UTF_8));
    }
    j = 0;
    for (String s : k.strings(g.get("files"), entry + ".files")) {
      String e = entry + ".files[" + j++ + "]";
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
      Path file = files.resolveFile(k, e, path);
      put(k, e, what, values, key, files.readBytes(k, e, file));
    }
    List<String> envs = new ArrayList<>(k.strings(g.get("envs"), entry + ".envs"));
    String env = k.str(g, "env", entry + ".env");
    if (!env.isEmpty()) {
      envs.add(env);
    }
    j = 0;
    for (String envFile : envs) {
      String e = entry + ".envs[" + j++ + "]";
      String content = files.readText(k, e, files.resolveFile(k, e, envFile));
      if (content.startsWith("\uFEFF")) {
        content = content.substring(1);
      }
      int line = 0;
      for (String l : content.split("\n", -1)) {
        line++;
        String trimmed = l.stripLeading();
        if (trimmed.endsWith("\r")) {
          trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        int eq = trimmed.indexOf('=');
        String key = eq < 0 ? trimmed : trimmed.substring(0, eq);
        if (!ENV_NAME.matcher(key).matches()) {
          throw k.error(
              e,
              Problem.INVALID_VALUE,
              "line " + line + " of " + envFile + ": \"" + key + "\" is not a valid key name",
              null);
        }
        if (eq < 0) {
          // kustomize would read the value from its own environment; Glidepath never exposes the
          // renderer's environment
          throw k.error(
              e,
              Problem.INVALID_VALUE,
              "line "
                  + line
                  + " of "
                  + envFile
                  + " has no '=' (kustomize would copy the variable"
                  + " from its own environment; Glidepath refuses that)",
              null);
        }
        put(k, e, what, values, key, trimmed.substring(eq + 1).getBytes(StandardCharsets.UTF_8));
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
    Map<String, String> text = new TreeMap<>();
    Map<String, byte[]> binary = new TreeMap<>();
    values.forEach(
        (key, v) -> {
          if (secret) {
            text.put(key, base64(v));
            return;
          }
          try {
            text.put(
                key, StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(v)).toString());
          } catch (CharacterCodingException ex) {
            binary.put(key, v);
          }
        });
    if (secret) {
      String type = k.str(g, "type", entry + ".type");
      body.put("type", type.isEmpty() ? "Opaque" : type);
    }
    // kustomize always creates a Secret's data map (empty too: it counts in the name hash); a
    // ConfigMap gets one only when it has text values
    if (secret || !text.isEmpty()) {
      ObjectNode data = body.putObject("data");
      text.forEach(data::put);
    }
    if (!binary.isEmpty()) {
      ObjectNode data = body.putObject("binaryData");
      binary.forEach((key, v) -> data.put(key, base64(v)));
    }
    if (flag(k, global, "immutable", "generatorOptions.immutable")
        || flag(k, local, "immutable", entry + ".options.immutable")) {
      body.put("immutable", true);
    }
    Res r = new Res(body, Origin.of(k.file + "#" + entry));
    r.source = k.dir.resolve(java.nio.file.Path.of(k.file).getFileName().toString());
    r.generatedBy = secret ? "SecretGenerator" : "ConfigMapGenerator";
    r.needsHash =
        !(flag(k, global, "disableNameSuffixHash", "generatorOptions.disableNameSuffixHash")
            || flag(k, local, "disableNameSuffixHash", entry + ".options.disableNameSuffixHash"));
    r.behavior = behavior;
    return r;
  }

  private static boolean flag(Kust k, JsonNode options, String field, String entry) {
    return options != null && k.bool(options, field, entry);
  }

  private static void put(
      Kust k, String entry, String what, Map<String, byte[]> values, String key, byte[] value) {
    if (!KEY.matcher(key).matches() || key.equals(".") || key.equals("..") || key.length() > 253) {
      throw k.error(
          entry,
          Problem.INVALID_VALUE,
          "\"" + key + "\" is not a valid key: use letters, digits, '-', '_' and '.'",
          null);
    }
    if (values.containsKey(key)) {
      throw k.error(
          entry, Problem.CONFLICT, what + " illegally repeats the key `" + key + "`", null);
    }
    values.put(key, value);
  }

  private static String unquote(String v) {
    if (v.length() >= 2
        && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  /** kustomize's base64: lines of 70 characters, each ended by a newline once there are two. */
  static String base64(byte[] b) {
    String enc = Base64.getEncoder().encodeToString(b);
    int lines = enc.length() / 70 + 1;
    if (lines == 1) {
      return enc;
    }
    StringBuilder sb = new StringBuilder(enc.length() + lines);
    for (int i = 0; i < enc.length(); i += 70) {
      sb.append(enc, i, Math.min(enc.length(), i + 70)).append('\n');
    }
    return sb.toString();
  }

  /** kustomize's appendReplaceOrMerge. */
  static void add(Kust k, String entry, List<Res> ra, Res r) {
    ResId id = r.curId();
    List<Res> matches = new ArrayList<>();
    for (Res candidate : ra) {
      for (ResId any : candidate.anyIds()) {
        if (any.sameAs(id)) {
          matches.add(candidate);
          break;
        }
      }
    }
    if (matches.isEmpty()) {
      if (!r.behavior.equals("create")) {
        throw k.error(
            entry,
            Problem.NO_PATCH_TARGET,
            "id " + id + " does not exist; cannot merge or replace",
            null);
      }
      ra.add(r);
      return;
    }
    if (matches.size() > 1) {
      throw k.error(
          entry, Problem.CONFLICT, "found multiple objects that could accept merge of " + id, null);
    }
    Res old = matches.get(0);
    if (r.behavior.equals("create")) {
      throw k.error(
          entry,
          Problem.CONFLICT,
          "id " + id + " exists (from " + old.origin + "); behavior must be merge or replace",
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
    // a hash suffix only when both want one, as kustomize does: a read Secret keeps its name, and a
    // merge or replace that disables the hash removes it from a generated one
    old.needsHash = old.needsHash && r.needsHash;
    if (r.behavior.equals("replace")) {
      // kustomize's replace puts the new object in the old one's place, origin and all; merge
      // keeps the old origin.
      old.source = r.source;
      old.generatedBy = r.generatedBy;
      old.origin = r.origin;
    }
  }
}
