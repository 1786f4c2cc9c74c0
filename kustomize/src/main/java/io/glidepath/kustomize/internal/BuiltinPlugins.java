package io.glidepath.kustomize.internal;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import io.glidepath.kustomize.KustomizeException.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code transformers} and {@code generators} fields: configurations of kustomize's built-in
 * plugins ({@code apiVersion: builtin}), as files or inline, run after the kustomization's own
 * generators and transformers, in the order given. A configuration for any other plugin (an exec or
 * Go plugin, a KRM function) is refused: Glidepath runs no code from the repository.
 */
final class BuiltinPlugins {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final FileAccess files;
  private final Generators generators;
  private final Patches patches;
  private final Kustomizations kustomizations;

  /** Builds a kustomization directory listed under generators or transformers. */
  interface Kustomizations {
    /** The objects the kustomization in {@code dir} produces, each with where it was read. */
    List<Res> build(Kust parent, String entry, Path dir);
  }

  BuiltinPlugins(
      FileAccess files, Generators generators, Patches patches, Kustomizations kustomizations) {
    this.files = files;
    this.generators = generators;
    this.patches = patches;
    this.kustomizations = kustomizations;
  }

  void generate(Kust k, List<Res> ra) {
    for (Config c : configs(k, "generators")) {
      switch (c.kind()) {
        case "ConfigMapGenerator", "SecretGenerator" -> {
          ObjectNode args = ((ObjectNode) c.node()).deepCopy();
          args.put("name", c.node().path("metadata").path("name").asString(""));
          String ns = c.node().path("metadata").path("namespace").asString("");
          if (!ns.isEmpty()) {
            args.put("namespace", ns);
          }
          for (String f : List.of("apiVersion", "kind", "metadata")) {
            args.remove(f);
          }
          Generators.add(
              k,
              c.entry(),
              ra,
              generators.generate(k, c.entry(), args, null, c.kind().equals("SecretGenerator")));
        }
        default -> throw unsupported(k, c, "generators");
      }
    }
  }

  void transform(Kust k, List<Res> ra, TransformerConfig tc) {
    for (Config c : configs(k, "transformers")) {
      JsonNode n = c.node();
      String e = c.entry();
      try {
        switch (c.kind()) {
          case "PrefixSuffixTransformer" ->
              NameTransformer.apply(
                  ra,
                  k.str(n, "prefix", e + ".prefix"),
                  k.str(n, "suffix", e + ".suffix"),
                  specs(n, e));
          case "PrefixTransformer" ->
              NameTransformer.apply(ra, k.str(n, "prefix", e + ".prefix"), "", specs(n, e));
          case "SuffixTransformer" ->
              NameTransformer.apply(ra, "", k.str(n, "suffix", e + ".suffix"), specs(n, e));
          case "LabelTransformer" ->
              MapTransformer.apply(ra, specs(n, e), k.stringMap(n.get("labels"), e + ".labels"));
          case "AnnotationsTransformer" ->
              MapTransformer.apply(
                  ra, specs(n, e), k.stringMap(n.get("annotations"), e + ".annotations"));
          case "NamespaceTransformer" -> namespace(k, e, n, ra);
          case "PatchTransformer" -> patches.apply(k, e, n, ra, false);
          case "PatchStrategicMergeTransformer" -> strategicMerge(k, e, n, ra);
          case "PatchJson6902Transformer" -> json6902(k, e, n, ra);
          case "ImageTagTransformer" -> {
            JsonNode it = n.path("imageTag");
            ImageTransformer.apply(
                ra,
                new ImageTransformer.Image(
                    k.str(it, "name", e + ".imageTag.name"),
                    k.str(it, "newName", e + ".imageTag.newName"),
                    k.str(it, "newTag", e + ".imageTag.newTag"),
                    k.str(it, "digest", e + ".imageTag.digest"),
                    k.str(it, "tagSuffix", e + ".imageTag.tagSuffix")),
                n.has("fieldSpecs") ? specs(n, e) : tc.get("images"));
          }
          case "ReplicaCountTransformer" -> {
            JsonNode rep = n.path("replica");
            ReplicaTransformer.apply(
                ra,
                k.str(rep, "name", e + ".replica.name"),
                rep.path("count").asLong(0),
                n.has("fieldSpecs") ? specs(n, e) : tc.get("replicas"));
          }
          case "ReplacementTransformer" -> {
            List<JsonNode> list = new ArrayList<>();
            int i = 0;
            for (JsonNode r : k.listAt(n.get("replacements"), e + ".replacements")) {
              list.addAll(Replacements.load(k, e + ".replacements[" + i++ + "]", r, files));
            }
            Replacements.apply(k, e + ".replacements", list, ra);
          }
          case "HashTransformer" -> {
            for (Res r : ra) {
              if (r.needsHash) {
                r.storePreviousId();
                r.setName(r.name() + "-" + NameHash.of(r.body));
                r.needsHash = false;
              }
            }
          }
          default -> throw unsupported(k, c, "transformers");
        }
      } catch (PatchException ex) {
        throw k.error(e, Problem.INVALID_VALUE, ex.getMessage(), ex);
      }
    }
  }

  private RuntimeException unsupported(Kust k, Config c, String field) {
    boolean builtin = c.node().path("apiVersion").asString("").equals("builtin");
    return k.error(
        c.entry(),
        Problem.UNSUPPORTED_FIELD,
        (builtin ? "the built-in plugin " : "the plugin ")
            + c.node().path("apiVersion").asString("")
            + "/"
            + c.kind()
            + (builtin
                ? " is not one Glidepath runs from " + field
                : " is not a kustomize built-in; Glidepath runs no exec, Go or function plugins"),
        null);
  }

  private void namespace(Kust k, String e, JsonNode n, List<Res> ra) {
    String ns = n.path("metadata").path("namespace").asString("");
    String mode = k.str(n, "setRoleBindingSubjects", e + ".setRoleBindingSubjects");
    NamespaceTransformer.Subjects subjects =
        switch (mode) {
          case "", "defaultOnly" -> NamespaceTransformer.Subjects.DEFAULT_ONLY;
          case "none" -> NamespaceTransformer.Subjects.NONE;
          case "allServiceAccounts" -> NamespaceTransformer.Subjects.ALL_SERVICE_ACCOUNTS;
          default ->
              throw k.error(
                  e + ".setRoleBindingSubjects",
                  Problem.INVALID_VALUE,
                  "must be defaultOnly, none or allServiceAccounts, but is " + mode,
                  null);
        };
    if (!ns.isEmpty()) {
      NamespaceTransformer.apply(
          ra, ns, specs(n, e), k.bool(n, "unsetOnly", e + ".unsetOnly"), subjects);
    }
  }

  private void strategicMerge(Kust k, String e, JsonNode n, List<Res> ra) {
    List<String> texts = new ArrayList<>();
    for (String p : k.strings(n.get("paths"), e + ".paths")) {
      texts.add(files.textOf(k, e + ".paths", p));
    }
    String inline = k.str(n, "patches", e + ".patches");
    if (!inline.isEmpty()) {
      texts.add(inline);
    }
    for (String text : texts) {
      ObjectNode entry = F.objectNode();
      entry.put("patch", text);
      patches.apply(k, e, entry, ra, false);
    }
  }

  private void json6902(Kust k, String e, JsonNode n, List<Res> ra) {
    ObjectNode entry = F.objectNode();
    if (n.has("path")) {
      entry.set("path", n.get("path"));
    } else {
      JsonNode op = n.get("jsonOp");
      entry.put("patch", op == null ? "" : op.isString() ? op.stringValue() : Yaml.toJson(op));
    }
    if (n.has("target")) {
      entry.set("target", n.get("target"));
    }
    patches.apply(k, e, entry, ra, true);
  }

  private static List<FieldSpec> specs(JsonNode n, String e) {
    List<FieldSpec> out = new ArrayList<>();
    JsonNode list = n.get("fieldSpecs");
    if (list != null && list.isArray()) {
      for (JsonNode fs : list) {
        out.add(TransformerConfig.spec(fs, e, "fieldSpecs"));
      }
    }
    return out;
  }

  /** A plugin configuration: its kind, its document and where it comes from. */
  private record Config(String kind, JsonNode node, String entry) {}

  private List<Config> configs(Kust k, String field) {
    List<Config> out = new ArrayList<>();
    int i = 0;
    for (JsonNode n : k.list(field)) {
      String entry = field + "[" + i++ + "]";
      if (!n.isString()) {
        throw k.error(
            entry, Problem.INVALID_VALUE, "must be a path or an inline configuration", null);
      }
      String v = n.stringValue();
      List<JsonNode> docs = new ArrayList<>();
      if (!v.contains("\n") && Files.isDirectory(files.resolveBase(k, entry, v, true))) {
        // kustomize accumulates a listed directory as a kustomization: what it builds are the
        // plugin configurations.
        for (Res r : kustomizations.build(k, entry, files.resolveBase(k, entry, v, true))) {
          docs.add(r.body);
        }
      } else {
        String text = v.contains("\n") ? v : files.textOf(k, entry, v);
        try {
          for (YamlDocument doc : Yaml.readDocuments(text, k.file + "#" + entry)) {
            docs.add(doc.content());
          }
        } catch (GlidepathException e) {
          throw k.error(entry, Problem.INVALID_VALUE, e.getMessage(), e);
        }
      }
      int d = 0;
      for (JsonNode c : docs) {
        String at = docs.size() > 1 ? entry + "#" + d++ : entry;
        if (!c.isObject() || c.path("kind").asString("").isEmpty()) {
          throw k.error(at, Problem.INVALID_VALUE, "a plugin configuration needs a kind", null);
        }
        if (!c.path("apiVersion").asString("").equals("builtin")) {
          Config cfg = new Config(c.path("kind").asString(), c, at);
          throw unsupported(k, cfg, field);
        }
        out.add(new Config(c.path("kind").asString(), c, at));
      }
    }
    return out;
  }
}
