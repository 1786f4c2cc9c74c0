package io.glidepath.appset.internal;

import io.glidepath.appset.ApplicationSet;
import io.glidepath.appset.ApplicationSetException;
import io.glidepath.appset.GeneratedApplications;
import io.glidepath.appset.GeneratorContext;
import io.glidepath.appset.TemplateException;
import io.glidepath.appset.internal.gotemplate.Functions;
import io.glidepath.appset.internal.gotemplate.GoFormat;
import io.glidepath.appset.internal.gotemplate.Values;
import io.glidepath.core.GlidepathException;
import io.glidepath.core.Origin;
import io.glidepath.core.app.Application;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.cluster.RegisteredCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One generation of an ApplicationSet with Argo CD's semantics: each generator's parameter sets
 * (selector applied), each rendered through its template (the generator's merged over the
 * ApplicationSet's), {@code templatePatch}, the resources finalizer, and the checks Argo CD makes
 * (names, duplicates).
 */
public final class GenerationRun {
  static final int MAX_PARAM_SETS = 100_000;

  private final ApplicationSet set;
  private final GeneratorContext context;
  private final TemplateRenderer renderer;
  private final Map<String, String> revisions = new TreeMap<>();
  private final Map<String, GeneratorContext.Checkout> checkouts = new LinkedHashMap<>();

  public GenerationRun(ApplicationSet set, GeneratorContext context) {
    this.set = set;
    this.context = context;
    this.renderer = new TemplateRenderer(set.goTemplate(), set.goTemplateOptions());
  }

  private ApplicationSetException error(String path, String problem, Throwable cause) {
    return new ApplicationSetException(set.origin(), path, problem, cause);
  }

  public GeneratedApplications run() {
    List<Resource> apps = new ArrayList<>();
    Map<String, Integer> names = new LinkedHashMap<>();
    JsonNode generators = set.spec().path("generators");
    JsonNode base = set.spec().path("template");
    for (int i = 0; i < generators.size(); i++) {
      String path = "spec.generators[" + i + "]";
      JsonNode g = generators.get(i);
      List<Map<String, Object>> params = transform(g, path, Map.of());
      JsonNode template = mergeTemplate(generatorTemplate(g), base);
      for (Map<String, Object> p : params) {
        ObjectNode app = render(template, p, path);
        String name = app.path("metadata").path("name").asString("");
        if (name.isEmpty()) {
          throw error(path, "an Application generated from " + describe(p) + " has no name", null);
        }
        if (names.containsKey(name)) {
          throw error(
              path,
              "ApplicationSet "
                  + set.name()
                  + " contains applications with duplicate name: "
                  + name,
              null);
        }
        names.put(name, i);
        apps.add(Resource.of(app));
      }
    }
    return new GeneratedApplications(apps, revisions);
  }

  private static String describe(Map<String, Object> params) {
    String s = GoFormat.value(params);
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private static JsonNode generatorTemplate(JsonNode g) {
    for (String k : List.of("list", "clusters", "git", "matrix", "merge")) {
      if (g.has(k)) {
        return g.get(k).path("template");
      }
    }
    return Yaml.mapper().createObjectNode();
  }

  /** mergo.Merge(generatorTemplate, appSetTemplate): the generator's non-empty fields win. */
  static JsonNode mergeTemplate(JsonNode generator, JsonNode base) {
    if (generator == null || generator.isMissingNode() || generator.isNull()) {
      return base;
    }
    if (!generator.isObject() || !base.isObject()) {
      return empty(generator) ? base : generator;
    }
    ObjectNode out = (ObjectNode) generator.deepCopy();
    for (Map.Entry<String, JsonNode> e : base.properties()) {
      JsonNode mine = out.get(e.getKey());
      if (mine == null || mine.isNull()) {
        out.set(e.getKey(), e.getValue().deepCopy());
      } else if (mine.isObject() && e.getValue().isObject()) {
        out.set(e.getKey(), mergeTemplate(mine, e.getValue()));
      } else if (empty(mine)) {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return out;
  }

  private static boolean empty(JsonNode n) {
    return n.isNull()
        || n.isMissingNode()
        || n.isString() && n.asString().isEmpty()
        || (n.isArray() || n.isObject()) && n.isEmpty()
        || n.isBoolean() && !n.asBoolean()
        || n.isNumber() && n.asDouble() == 0;
  }

  // ------------------------------------------------------------------ rendering

  private ObjectNode render(JsonNode template, Map<String, Object> params, String path) {
    JsonNode rendered;
    try {
      rendered = params.isEmpty() ? template.deepCopy() : renderer.deepReplace(template, params);
    } catch (TemplateException e) {
      throw error(path + ".template", e.getMessage(), e);
    }
    ObjectNode meta =
        rendered.path("metadata").isObject()
            ? (ObjectNode) rendered.path("metadata")
            : Yaml.mapper().createObjectNode();
    if (!params.isEmpty()
        && !set.preserveResourcesOnDeletion()
        && meta.path("finalizers").isEmpty()) {
      meta.putArray("finalizers").add(Application.RESOURCES_FINALIZER);
    }
    ObjectNode app = Yaml.mapper().createObjectNode();
    app.put("apiVersion", "argoproj.io/v1alpha1");
    app.put("kind", "Application");
    app.set("metadata", meta);
    app.set(
        "spec",
        rendered.path("spec").isObject()
            ? rendered.path("spec")
            : Yaml.mapper().createObjectNode());
    if (set.templatePatch().isPresent()) {
      String patchText;
      try {
        patchText = renderer.replace(set.templatePatch().get(), params);
      } catch (TemplateException e) {
        throw error("spec.templatePatch", e.getMessage(), e);
      }
      JsonNode patch;
      try {
        patch =
            patchText.isBlank()
                ? Yaml.mapper().createObjectNode()
                : Yaml.readTree(patchText, "templatePatch");
      } catch (GlidepathException e) {
        throw error("spec.templatePatch", "the rendered patch is not YAML: " + e.getMessage(), e);
      }
      if (!patch.isObject()) {
        throw error("spec.templatePatch", "the rendered patch must be a YAML object", null);
      }
      app = (ObjectNode) TemplateRenderer.mergePatch(app, patch);
      app.put("apiVersion", "argoproj.io/v1alpha1");
      app.put("kind", "Application");
    }
    ObjectNode m = (ObjectNode) app.path("metadata");
    m.remove("namespace");
    if (!set.namespace().isEmpty()) {
      m.put("namespace", set.namespace());
    }
    String name = m.path("name").asString("");
    try {
      Application.parse(Yaml.toJson(app), "Application " + name);
    } catch (GlidepathException e) {
      throw error(path, "generated Application " + name + " is invalid: " + e.getMessage(), e);
    }
    return app;
  }

  // ------------------------------------------------------------------ generators

  /** The parameter sets of generator {@code g}, its selector applied. */
  List<Map<String, Object>> transform(JsonNode g, String path, Map<String, Object> inherited) {
    JsonNode gen = g;
    if (!inherited.isEmpty()) {
      try {
        gen = renderer.deepReplace(g, inherited);
      } catch (TemplateException e) {
        throw error(path, "interpolating the generator: " + e.getMessage(), e);
      }
    }
    List<Map<String, Object>> params;
    if (gen.has("list")) {
      params = list(gen.get("list"), path + ".list");
    } else if (gen.has("clusters")) {
      params = clusters(gen.get("clusters"), path + ".clusters");
    } else if (gen.has("git")) {
      params = git(gen.get("git"), path + ".git");
    } else if (gen.has("matrix")) {
      params = matrix(gen.get("matrix"), path + ".matrix");
    } else if (gen.has("merge")) {
      params = merge(gen.get("merge"), path + ".merge");
    } else {
      throw error(path, "names no generator", null);
    }
    if (params.size() > MAX_PARAM_SETS) {
      throw error(path, "generated more than " + MAX_PARAM_SETS + " parameter sets", null);
    }
    JsonNode selector = gen.path("selector");
    if (selector.isObject() && !selector.isEmpty()) {
      List<Map<String, Object>> kept = new ArrayList<>();
      for (Map<String, Object> p : params) {
        if (Selectors.matches(selector, flatten(p))) {
          kept.add(p);
        }
      }
      params = kept;
    }
    return params;
  }

  /** jeremywohl/flatten (dot style), values as Go's %v. */
  static Map<String, String> flatten(Map<String, Object> params) {
    Map<String, String> out = new LinkedHashMap<>();
    flatten("", params, out, 0);
    return out;
  }

  private static void flatten(String prefix, Object v, Map<String, String> out, int depth) {
    if (depth > 64) {
      return;
    }
    if (v instanceof Map<?, ?> m && (!m.isEmpty() || prefix.isEmpty())) {
      m.forEach(
          (k, x) ->
              flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, x, out, depth + 1));
    } else if (v instanceof List<?> l && !l.isEmpty()) {
      for (int i = 0; i < l.size(); i++) {
        flatten(
            prefix.isEmpty() ? Integer.toString(i) : prefix + "." + i, l.get(i), out, depth + 1);
      }
    } else {
      out.put(prefix, v == null ? "<nil>" : GoFormat.value(v));
    }
  }

  private List<Map<String, Object>> list(JsonNode list, String path) {
    List<JsonNode> elements = new ArrayList<>();
    list.path("elements").forEach(elements::add);
    String yaml = list.path("elementsYaml").asString("");
    if (!yaml.isBlank()) {
      JsonNode parsed;
      try {
        parsed = Yaml.readTree(yaml, "elementsYaml");
      } catch (GlidepathException e) {
        throw error(
            path + ".elementsYaml", "error unmarshling decoded ElementsYaml " + e.getMessage(), e);
      }
      if (!parsed.isArray()) {
        throw error(path + ".elementsYaml", "must be a YAML list of objects", null);
      }
      parsed.forEach(elements::add);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      JsonNode e = elements.get(i);
      String ep = path + ".elements[" + i + "]";
      if (!e.isObject()) {
        throw error(ep, "error unmarshling list element: must be an object", null);
      }
      if (set.goTemplate()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Values.fromJson(e);
        out.add(m);
        continue;
      }
      Map<String, Object> params = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> f : e.properties()) {
        if (f.getKey().equals("values")) {
          if (!f.getValue().isObject()) {
            throw error(ep + ".values", "error parsing values map", null);
          }
          for (Map.Entry<String, JsonNode> v : f.getValue().properties()) {
            if (!v.getValue().isString()) {
              throw error(
                  ep + ".values." + v.getKey(),
                  "error parsing value as string: without goTemplate every value must be a string",
                  null);
            }
            params.put("values." + v.getKey(), v.getValue().asString());
          }
        } else {
          if (!f.getValue().isString()) {
            throw error(
                ep + "." + f.getKey(),
                "error parsing value as string: without goTemplate every value must be a string"
                    + " (quote it, or set goTemplate: true)",
                null);
          }
          params.put(f.getKey(), f.getValue().asString());
        }
      }
      out.add(params);
    }
    return out;
  }

  private List<Map<String, Object>> clusters(JsonNode c, String path) {
    JsonNode selector = c.path("selector");
    boolean ignoreLocal =
        selector.path("matchLabels").size() > 0 || selector.path("matchExpressions").size() > 0;
    List<Map<String, Object>> out = new ArrayList<>();
    List<RegisteredCluster> all = context.clusters();
    for (RegisteredCluster rc : all) {
      if (!rc.fromSecret()) {
        if (ignoreLocal) {
          continue;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", rc.name());
        p.put("nameNormalized", rc.name());
        p.put("server", rc.server());
        appendValues(c.path("values"), p, path);
        out.add(p);
      }
    }
    for (RegisteredCluster rc : all) {
      if (!rc.fromSecret()) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>(rc.labels());
      if (!Selectors.matches(selector, labels)) {
        continue;
      }
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", rc.name());
      p.put("nameNormalized", Functions.normalize(rc.name()));
      p.put("server", rc.server());
      if (set.goTemplate()) {
        Map<String, Object> meta = new LinkedHashMap<>();
        if (!rc.annotations().isEmpty()) {
          meta.put("annotations", new TreeMap<String, Object>(rc.annotations()));
        }
        if (!rc.labels().isEmpty()) {
          meta.put("labels", new TreeMap<String, Object>(rc.labels()));
        }
        p.put("metadata", meta);
      } else {
        rc.annotations().forEach((k, v) -> p.put("metadata.annotations." + k, v));
        rc.labels().forEach((k, v) -> p.put("metadata.labels." + k, v));
      }
      appendValues(c.path("values"), p, path);
      out.add(p);
    }
    return out;
  }

  /** Argo CD's appendTemplatedValues: each value rendered with the parameters so far. */
  private void appendValues(JsonNode values, Map<String, Object> params, String path) {
    if (values.isEmpty()) {
      return;
    }
    Map<String, Object> rendered = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> v : values.properties()) {
      String text;
      try {
        text = renderer.replace(v.getValue().asString(""), params);
      } catch (TemplateException e) {
        throw error(path + ".values." + v.getKey(), e.getMessage(), e);
      }
      if (set.goTemplate()) {
        rendered.put(v.getKey(), text);
      } else {
        params.put("values." + v.getKey(), text);
      }
    }
    if (set.goTemplate()) {
      params.put("values", rendered);
    }
  }

  private GeneratorContext.Checkout checkout(String repoURL, String revision, String path) {
    String key = repoURL + "@" + revision;
    GeneratorContext.Checkout c = checkouts.get(key);
    if (c == null) {
      try {
        c = context.checkout(repoURL, revision);
      } catch (GlidepathException | UncheckedIOException e) {
        throw error(
            path + ".repoURL",
            "error getting the repository "
                + repoURL
                + " at "
                + (revision.isEmpty() ? "HEAD" : revision)
                + ": "
                + e.getMessage(),
            e);
      }
      checkouts.put(key, c);
      if (!c.revision().isEmpty()) {
        revisions.put(key, c.revision());
      }
    }
    return c;
  }

  private List<Map<String, Object>> git(JsonNode g, String path) {
    GeneratorContext.Checkout co =
        checkout(g.path("repoURL").asString(), g.path("revision").asString(""), path);
    String prefix = g.path("pathParamPrefix").asString("");
    if (g.path("directories").size() > 0) {
      List<String> all = directories(co.root());
      List<Map<String, Object>> out = new ArrayList<>();
      for (String dir : all) {
        boolean include = false;
        boolean exclude = false;
        for (JsonNode d : g.path("directories")) {
          if (Globs.pathMatch(d.path("path").asString(""), dir)) {
            if (d.path("exclude").asBoolean(false)) {
              exclude = true;
            } else {
              include = true;
            }
          }
        }
        if (include && !exclude) {
          Map<String, Object> p = pathParams(dir, null, prefix);
          appendValues(g.path("values"), p, path);
          out.add(p);
        }
      }
      return out;
    }
    List<String> files = files(co.root());
    Map<String, Boolean> chosen = new TreeMap<>();
    for (JsonNode f : g.path("files")) {
      if (!f.path("exclude").asBoolean(false)) {
        for (String file : files) {
          if (Globs.doubleStar(f.path("path").asString(""), file)) {
            chosen.put(file, true);
          }
        }
      }
    }
    for (JsonNode f : g.path("files")) {
      if (f.path("exclude").asBoolean(false)) {
        chosen.keySet().removeIf(file -> Globs.doubleStar(f.path("path").asString(""), file));
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (String file : chosen.keySet()) {
      JsonNode content;
      try {
        content = Yaml.readTree(Files.readString(co.root().resolve(file)), file);
      } catch (IOException e) {
        throw error(path, "unable to read file '" + file + "': " + e.getMessage(), e);
      } catch (GlidepathException e) {
        throw error(path, "unable to process file '" + file + "': " + e.getMessage(), e);
      }
      List<JsonNode> objects = new ArrayList<>();
      if (content == null || content.isNull() || content.isMissingNode()) {
        objects.add(Yaml.mapper().createObjectNode());
      } else if (content.isArray()) {
        content.forEach(objects::add);
      } else if (content.isObject()) {
        objects.add(content);
      } else {
        throw error(
            path,
            "unable to process file '" + file + "': not an object or a list of objects",
            null);
      }
      for (JsonNode o : objects) {
        if (!o.isObject()) {
          throw error(
              path, "unable to process file '" + file + "': a list item is not an object", null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> content0 = (Map<String, Object>) Values.fromJson(o);
        Map<String, Object> p = new LinkedHashMap<>();
        if (set.goTemplate()) {
          p.putAll(content0);
        } else {
          flatten("", content0, flattenedInto(p), 0);
        }
        p.putAll(pathParams(Functions.pathDir(file), file, prefix));
        appendValues(g.path("values"), p, path);
        out.add(p);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> flattenedInto(Map<String, Object> p) {
    return (Map<String, String>) (Map<String, ?>) p;
  }

  /** The path parameters of a directory (and, for the files generator, its file). */
  private Map<String, Object> pathParams(String dir, String file, String prefix) {
    Map<String, Object> p = new LinkedHashMap<>();
    String base = Functions.pathBase(dir);
    if (set.goTemplate()) {
      Map<String, Object> path = new LinkedHashMap<>();
      path.put("path", dir);
      path.put("basename", base);
      if (file != null) {
        path.put("filename", Functions.pathBase(file));
      }
      path.put("basenameNormalized", Functions.normalize(base));
      if (file != null) {
        path.put("filenameNormalized", Functions.normalize(Functions.pathBase(file)));
      }
      path.put("segments", new ArrayList<Object>(List.of((Object[]) dir.split("/", -1))));
      if (prefix.isEmpty()) {
        p.put("path", path);
      } else {
        Map<String, Object> wrap = new LinkedHashMap<>();
        wrap.put("path", path);
        p.put(prefix, wrap);
      }
      return p;
    }
    String name = prefix.isEmpty() ? "path" : prefix + ".path";
    p.put(name, dir);
    p.put(name + ".basename", base);
    if (file != null) {
      p.put(name + ".filename", Functions.pathBase(file));
    }
    p.put(name + ".basenameNormalized", Functions.normalize(base));
    if (file != null) {
      p.put(name + ".filenameNormalized", Functions.normalize(Functions.pathBase(file)));
    }
    String[] segs = dir.split("/", -1);
    for (int i = 0; i < segs.length; i++) {
      if (!segs[i].isEmpty()) {
        p.put(name + "[" + i + "]", segs[i]);
      }
    }
    return p;
  }

  /** Every directory below {@code root}, relative, skipping hidden ones and their contents. */
  static List<String> directories(Path root) {
    List<String> out = new ArrayList<>();
    walk(root, root, out, true, 0);
    return out;
  }

  /** Every file below {@code root}, relative, skipping {@code .git}. */
  static List<String> files(Path root) {
    List<String> out = new ArrayList<>();
    walk(root, root, out, false, 0);
    return out;
  }

  private static void walk(Path root, Path dir, List<String> out, boolean dirs, int depth) {
    if (depth > 64) {
      return;
    }
    List<Path> children;
    try (Stream<Path> s = Files.list(dir)) {
      children = s.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    for (Path c : children) {
      String name = c.getFileName().toString();
      boolean isDir = Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS);
      if (isDir) {
        if (dirs ? name.startsWith(".") : name.equals(".git")) {
          continue;
        }
        if (dirs) {
          out.add(root.relativize(c).toString().replace('\\', '/'));
        }
        walk(root, c, out, dirs, depth + 1);
      } else if (!dirs && Files.isRegularFile(c, LinkOption.NOFOLLOW_LINKS)) {
        out.add(root.relativize(c).toString().replace('\\', '/'));
      }
    }
  }

  private List<Map<String, Object>> matrix(JsonNode m, String path) {
    JsonNode children = m.path("generators");
    List<Map<String, Object>> first = transform(children.get(0), path + ".generators[0]", Map.of());
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> a : first) {
      List<Map<String, Object>> second = transform(children.get(1), path + ".generators[1]", a);
      for (Map<String, Object> b : second) {
        if (set.goTemplate()) {
          Map<String, Object> tmp = new LinkedHashMap<>();
          Functions.mergeInto(tmp, b, true, 0);
          Functions.mergeInto(tmp, a, true, 0);
          out.add(tmp);
        } else {
          Map<String, Object> tmp = new LinkedHashMap<>(a);
          for (Map.Entry<String, Object> e : b.entrySet()) {
            Object av = tmp.get(e.getKey());
            if (av != null && !av.equals(e.getValue())) {
              throw error(
                  path,
                  "failed to combine string maps with merging params for the matrix generator:"
                      + " found duplicate key "
                      + e.getKey()
                      + " with different value, a: "
                      + av
                      + " ,b: "
                      + e.getValue(),
                  null);
            }
            tmp.put(e.getKey(), e.getValue());
          }
          out.add(tmp);
        }
        if (out.size() > MAX_PARAM_SETS) {
          throw error(path, "generated more than " + MAX_PARAM_SETS + " parameter sets", null);
        }
      }
    }
    return out;
  }

  private List<Map<String, Object>> merge(JsonNode m, String path) {
    JsonNode children = m.path("generators");
    List<String> keys = AppSetReader.strings(m.path("mergeKeys"));
    List<List<Map<String, Object>>> sets = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      sets.add(transform(children.get(i), path + ".generators[" + i + "]", Map.of()));
    }
    LinkedHashMap<String, Map<String, Object>> base = byMergeKey(keys, sets.get(0), path);
    for (List<Map<String, Object>> other : sets.subList(1, sets.size())) {
      Map<String, Map<String, Object>> overrides = byMergeKey(keys, other, path);
      for (Map.Entry<String, Map<String, Object>> e : base.entrySet()) {
        Map<String, Object> o = overrides.get(e.getKey());
        if (o == null) {
          continue;
        }
        Map<String, Object> merged = new LinkedHashMap<>(e.getValue());
        if (set.goTemplate()) {
          Functions.mergeInto(merged, o, true, 0);
        } else {
          merged.putAll(o);
        }
        e.setValue(merged);
      }
    }
    return new ArrayList<>(base.values());
  }

  private LinkedHashMap<String, Map<String, Object>> byMergeKey(
      List<String> keys, List<Map<String, Object>> sets, String path) {
    LinkedHashMap<String, Map<String, Object>> out = new LinkedHashMap<>();
    List<String> unique = new ArrayList<>(new java.util.TreeSet<>(keys));
    for (Map<String, Object> p : sets) {
      Map<String, Object> key = new TreeMap<>();
      for (String k : unique) {
        key.put(k, p.get(k));
      }
      String json = GoFormat.json(key, true, "");
      if (out.containsKey(json)) {
        throw error(
            path,
            "the parameters from a generator were not unique by the given mergeKeys, Merge requires"
                + " all param sets to be unique. Duplicate key was "
                + json,
            null);
      }
      out.put(json, p);
    }
    return out;
  }

  Origin origin() {
    return set.origin();
  }
}
