package io.glidepath.kustomize.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.glidepath.core.GlidepathException;
import io.glidepath.core.Origin;
import io.glidepath.core.Utf8;
import io.glidepath.core.render.KustomizeOptions;
import io.glidepath.core.render.PathEscapeException;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RepositoryPaths;
import io.glidepath.core.resource.DuplicateResourceException;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import io.glidepath.kustomize.KustomizeException;
import io.glidepath.kustomize.KustomizeException.Problem;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds one kustomization, the way kustomize's {@code KustTarget} does: accumulate resources
 * (files and nested kustomizations), apply components, run generators, then the transformers in
 * kustomize's fixed order (strategic merge patches, patches, namespace, prefix, suffix, labels,
 * annotations, JSON 6902 patches, replicas, images). At the top only: hash suffixes, name
 * references, ordering.
 *
 * <p>One build per call; not shared between threads.
 */
public final class KustTarget {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pattern REMOTE =
      Pattern.compile(
          "^(?:[a-zA-Z][a-zA-Z0-9+.-]*://.*|git::.*|gh:.*|git@.*|(?:github|gitlab|bitbucket)\\.(?:com|org)/.*)");
  private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  /** What a build produced. */
  public record Output(ResourceSet resources, List<String> warnings) {}

  private final RepositoryPaths paths;
  private final boolean strict;
  private final List<String> warnings = new ArrayList<>();
  private final Deque<Path> stack = new ArrayDeque<>();

  private KustTarget(RepositoryPaths paths, boolean strict) {
    this.paths = paths;
    this.strict = strict;
  }

  /**
   * Builds the kustomization in {@code dir}.
   *
   * @throws KustomizeException on bad input
   */
  public static Output build(RepositoryPaths paths, Path dir, boolean strictPatchTargets) {
    return build(paths, dir, strictPatchTargets, KustomizeOptions.NONE);
  }

  /**
   * Builds the kustomization in {@code dir} after applying Argo CD's {@code overrides} to it (as
   * {@code kustomize edit} would, see {@link Overrides}).
   *
   * @throws KustomizeException on bad input
   */
  public static Output build(
      RepositoryPaths paths, Path dir, boolean strictPatchTargets, KustomizeOptions overrides) {
    KustTarget t = new KustTarget(paths, strictPatchTargets);
    Kust top = t.load(dir, "kustomization", null, false);
    Overrides.apply(top, overrides);
    List<Res> all = new ArrayList<>();
    t.accumulate(top, all);
    for (Res r : all) {
      if (r.needsHash) {
        r.setName(r.name() + "-" + NameHash.of(r.body));
      }
    }
    try {
      NameReferences.fix(all);
    } catch (PatchException e) {
      throw top.error("nameReference", Problem.CONFLICT, e.getMessage(), null);
    }
    List<Res> ordered = LegacyOrder.sort(all, top.doc.get("sortOptions"), top);
    List<Resource> out = new ArrayList<>(ordered.size());
    for (Res r : ordered) {
      out.add(Resource.of(r.body, r.origin));
    }
    try {
      return new Output(ResourceSet.of(out), List.copyOf(t.warnings));
    } catch (DuplicateResourceException e) {
      throw top.error("resources", Problem.CONFLICT, e.getMessage(), e);
    }
  }

  /** A loaded kustomization file. */
  static final class Kust {
    final Path dir;
    final String file;
    final ObjectNode doc;

    Kust(Path dir, String file, ObjectNode doc) {
      this.dir = dir;
      this.file = file;
      this.doc = doc;
    }

    KustomizeException error(String entry, Problem p, String detail, Throwable cause) {
      return new KustomizeException(file, entry, p, detail, cause);
    }

    List<JsonNode> list(String field) {
      JsonNode n = doc.get(field);
      if (n == null || n.isNull()) {
        return List.of();
      }
      if (!n.isArray()) {
        throw error(
            field, Problem.INVALID_VALUE, "must be a list, but is a " + n.getNodeType(), null);
      }
      List<JsonNode> out = new ArrayList<>();
      n.forEach(out::add);
      return out;
    }

    String string(String field) {
      return str(doc, field, field);
    }

    List<JsonNode> listAt(JsonNode n, String entry) {
      if (n == null || n.isNull()) {
        return List.of();
      }
      if (!n.isArray()) {
        throw error(entry, Problem.INVALID_VALUE, "must be a list", null);
      }
      List<JsonNode> out = new ArrayList<>();
      n.forEach(out::add);
      return out;
    }

    /**
     * The string at {@code parent.field}, "" when absent. Like kustomize (which decodes into Go
     * strings), a number or boolean is an error: quote it.
     */
    String str(JsonNode parent, String field, String entry) {
      JsonNode n = parent.get(field);
      if (n == null || n.isNull()) {
        return "";
      }
      if (!n.isString()) {
        throw error(
            entry,
            Problem.INVALID_VALUE,
            "must be a string, but is a " + n.getNodeType() + " (quote it)",
            null);
      }
      return n.stringValue();
    }

    Map<String, String> stringMap(JsonNode n, String entry) {
      Map<String, String> m = new LinkedHashMap<>();
      if (n == null || n.isNull()) {
        return m;
      }
      if (!n.isObject()) {
        throw error(entry, Problem.INVALID_VALUE, "must be a map of strings", null);
      }
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        JsonNode v = e.getValue();
        if (!v.isString() && !v.isNull()) {
          throw error(
              entry + "." + e.getKey(),
              Problem.INVALID_VALUE,
              "must be a string, but is a " + v.getNodeType() + " (quote it)",
              null);
        }
        m.put(e.getKey(), v.isNull() ? "" : v.asString());
      }
      return m;
    }
  }

  // ---------------------------------------------------------------- loading

  private Kust load(Path dir, String entry, Kust parent, boolean component) {
    Path file = null;
    for (String name : io.glidepath.core.render.ManifestRenderer.KUSTOMIZATION_FILES) {
      if (Files.isRegularFile(dir.resolve(name))) {
        file = dir.resolve(name);
        break;
      }
    }
    String relDir = paths.relative(dir);
    if (file == null) {
      String detail =
          "directory "
              + (relDir.isEmpty() ? "." : relDir)
              + " has no kustomization.yaml, kustomization.yml or Kustomization";
      if (parent == null) {
        throw new KustomizeException(
            relDir.isEmpty() ? "." : relDir, entry, Problem.MISSING_FILE, detail, null);
      }
      throw parent.error(entry, Problem.MISSING_FILE, detail, null);
    }
    Path real;
    try {
      real = paths.checkReal(file, paths.relative(file), "kustomization");
    } catch (PathEscapeException e) {
      throw wrap(parent, paths.relative(file), entry, Problem.PATH_ESCAPE, e);
    }
    String rel = paths.relative(file);
    String content;
    try {
      content = Utf8.read(real, rel);
    } catch (IOException e) {
      throw new KustomizeException(
          rel, "(file)", Problem.MISSING_FILE, "cannot read: " + e.getMessage(), e);
    }
    JsonNode doc;
    try {
      doc = Yaml.readTree(content, rel);
    } catch (GlidepathException e) {
      throw new KustomizeException(rel, "(file)", Problem.INVALID_VALUE, e.getMessage(), e);
    }
    if (doc.isNull()) {
      doc = F.objectNode();
    }
    if (!doc.isObject()) {
      throw new KustomizeException(
          rel, "(file)", Problem.INVALID_VALUE, "must be a map of fields", null);
    }
    Kust k = new Kust(dir, rel, (ObjectNode) doc);
    String unknown = Schema.firstUnknown(doc, Schema.KUSTOMIZATION, "");
    if (unknown != null) {
      throw k.error(
          unknown,
          Problem.UNKNOWN_FIELD,
          "unknown field \"" + unknown + "\" (kustomize v5 has no such field)",
          null);
    }
    for (String u : Schema.UNSUPPORTED) {
      if (doc.has(u)) {
        throw k.error(
            u, Problem.UNSUPPORTED_FIELD, "Glidepath does not render \"" + u + "\"", null);
      }
    }
    String kind = k.string("kind");
    if (component && !kind.equals("Component")) {
      throw parent.error(
          entry,
          Problem.INVALID_VALUE,
          rel + " is not a Component (kind: " + (kind.isEmpty() ? "none" : kind) + ")",
          null);
    }
    if (!component && !kind.isEmpty() && !kind.equals("Kustomization")) {
      throw k.error("kind", Problem.INVALID_VALUE, "must be Kustomization, but is " + kind, null);
    }
    return k;
  }

  private KustomizeException wrap(Kust k, String file, String entry, Problem p, RenderException e) {
    if (k == null) {
      return new KustomizeException(file, entry, p, e.getMessage(), e);
    }
    return k.error(entry, p, e.getMessage(), e);
  }

  /** Resolves an entry to a file or directory, with the path rules of kustomize and Glidepath. */
  private Path resolve(Kust k, String entry, String value, boolean fileMustBeInRoot) {
    if (value.isBlank()) {
      throw k.error(entry, Problem.INVALID_VALUE, "is empty", null);
    }
    if (REMOTE.matcher(value).matches()) {
      throw k.error(
          entry,
          Problem.REMOTE_RESOURCE,
          "remote resource \""
              + value
              + "\" refused: Glidepath renders files of the repository only",
          null);
    }
    Path p;
    try {
      p = paths.resolve(k.dir, value, "file");
    } catch (PathEscapeException e) {
      throw k.error(entry, Problem.PATH_ESCAPE, e.getMessage(), e);
    } catch (RenderException e) {
      String first = value.split("/", 2)[0];
      if (first.contains(".") && !first.startsWith(".") && value.contains("/")) {
        throw k.error(
            entry,
            Problem.REMOTE_RESOURCE,
            "\""
                + value
                + "\" is not a file here and looks like a remote repository; remote resources are refused",
            e);
      }
      throw k.error(entry, Problem.MISSING_FILE, "\"" + value + "\" does not exist", e);
    }
    if (fileMustBeInRoot && !Files.isDirectory(p)) {
      Path root;
      try {
        root = k.dir.toRealPath();
      } catch (IOException e) {
        root = k.dir;
      }
      if (!p.startsWith(root)) {
        throw k.error(
            entry,
            Problem.PATH_ESCAPE,
            "file \""
                + value
                + "\" is outside the kustomization's directory "
                + paths.relative(k.dir)
                + " (kustomize's LoadRestrictionsRootOnly)",
            null);
      }
    }
    return p;
  }

  private String readText(Kust k, String entry, Path file) {
    try {
      if (Files.size(file) > Yaml.reader().limits().maxBytes()) {
        throw k.error(
            entry,
            Problem.INVALID_VALUE,
            "file is larger than " + Yaml.reader().limits().maxBytes() + " bytes",
            null);
      }
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw k.error(entry, Problem.INVALID_VALUE, "file is not UTF-8 text", e);
    } catch (IOException e) {
      throw k.error(
          entry,
          Problem.MISSING_FILE,
          "cannot read " + paths.relative(file) + ": " + e.getMessage(),
          e);
    }
  }

  // ---------------------------------------------------------------- accumulate

  private void accumulate(Kust k, List<Res> ra) {
    Path real;
    try {
      real = k.dir.toRealPath();
    } catch (IOException e) {
      real = k.dir.toAbsolutePath().normalize();
    }
    if (stack.contains(real)) {
      List<String> chain = new ArrayList<>();
      stack.descendingIterator().forEachRemaining(p -> chain.add(paths.relative(p)));
      chain.add(paths.relative(real));
      throw k.error(
          "resources",
          Problem.CYCLE,
          "kustomizations include each other: " + String.join(" -> ", chain),
          null);
    }
    stack.push(real);
    try {
      int i = 0;
      for (String field : List.of("resources", "bases")) {
        i = 0;
        for (JsonNode n : k.list(field)) {
          String entry = field + "[" + i++ + "]";
          if (!n.isString()) {
            throw k.error(entry, Problem.INVALID_VALUE, "must be a path", null);
          }
          accumulateEntry(k, entry, n.stringValue(), ra);
        }
      }
      i = 0;
      for (JsonNode n : k.list("components")) {
        String entry = "components[" + i++ + "]";
        if (!n.isString()) {
          throw k.error(entry, Problem.INVALID_VALUE, "must be a path", null);
        }
        Path dir = resolve(k, entry, n.stringValue(), false);
        if (!Files.isDirectory(dir)) {
          throw k.error(entry, Problem.INVALID_VALUE, "a component must be a directory", null);
        }
        Kust c = load(dir, entry, k, true);
        accumulate(c, ra);
      }
      Generators.run(k, ra, this);
      transform(k, ra);
    } finally {
      stack.pop();
    }
  }

  private void accumulateEntry(Kust k, String entry, String value, List<Res> ra) {
    Path p = resolve(k, entry, value, true);
    if (Files.isDirectory(p)) {
      Kust sub = load(p, entry, k, false);
      List<Res> subRa = new ArrayList<>();
      accumulate(sub, subRa);
      append(k, entry, ra, subRa);
      return;
    }
    String text = readText(k, entry, p);
    List<YamlDocument> docs;
    try {
      docs = Yaml.readDocuments(KyamlScalars.quoteYaml11Booleans(text), paths.relative(p));
    } catch (GlidepathException e) {
      throw k.error(entry, Problem.INVALID_RESOURCE, e.getMessage(), e);
    }
    List<Res> added = new ArrayList<>();
    for (YamlDocument d : docs) {
      for (JsonNode item : expandList(d.content())) {
        if (!looksValid(item)) {
          try {
            Resource.of(item, d.origin());
          } catch (GlidepathException e) {
            throw k.error(entry, Problem.INVALID_RESOURCE, e.getMessage(), e);
          }
        }
        // the tree is fresh from the reader: no copy needed
        added.add(new Res((ObjectNode) item, d.origin()));
      }
    }
    append(k, entry, ra, added);
  }

  /** The checks {@link Resource#of} makes, without its copy; failures go to it for the message. */
  private static boolean looksValid(JsonNode item) {
    if (!item.isObject()) {
      return false;
    }
    JsonNode v = item.get("apiVersion");
    JsonNode kind = item.get("kind");
    JsonNode meta = item.get("metadata");
    return v != null
        && v.isString()
        && !v.stringValue().isBlank()
        && kind != null
        && kind.isString()
        && !kind.stringValue().isBlank()
        && meta != null
        && meta.isObject()
        && ((meta.path("name").isString() && !meta.path("name").stringValue().isEmpty())
            || meta.path("generateName").isString());
  }

  private static List<JsonNode> expandList(JsonNode doc) {
    if (doc.isObject()
        && doc.path("kind").asString("").endsWith("List")
        && doc.path("items").isArray()) {
      List<JsonNode> items = new ArrayList<>();
      for (JsonNode i : doc.get("items")) {
        if (!i.isNull()) {
          items.add(i);
        }
      }
      return items;
    }
    return List.of(doc);
  }

  private static String idOf(Res r) {
    return r.group() + "/" + r.kind() + "/" + r.effectiveNamespace() + "/" + r.name();
  }

  /** Adds {@code added} to {@code ra}; an id already there is a conflict, as in kustomize. */
  void append(Kust k, String entry, List<Res> ra, List<Res> added) {
    Map<String, Res> ids = new java.util.HashMap<>();
    for (Res old : ra) {
      ids.put(idOf(old), old);
    }
    for (Res r : added) {
      Res old = ids.putIfAbsent(idOf(r), r);
      if (old != null) {
        throw k.error(
            entry,
            Problem.CONFLICT,
            "may not add "
                + r.describe()
                + " (from "
                + r.origin
                + "): "
                + old.describe()
                + " (from "
                + old.origin
                + ") has the same id",
            null);
      }
      ra.add(r);
    }
  }

  // ---------------------------------------------------------------- transformers

  private void transform(Kust k, List<Res> ra) {
    int i = 0;
    for (JsonNode n : k.list("patchesStrategicMerge")) {
      String entry = "patchesStrategicMerge[" + i++ + "]";
      if (!n.isString()) {
        throw k.error(entry, Problem.INVALID_VALUE, "must be a path or an inline patch", null);
      }
      String v = n.stringValue();
      String text = v.contains("\n") ? v : readText(k, entry, resolve(k, entry, v, true));
      for (ObjectNode patch : smpDocuments(k, entry, text)) {
        applySmpById(k, entry, ra, patch);
      }
    }
    i = 0;
    for (JsonNode n : k.list("patches")) {
      patch(k, "patches[" + i++ + "]", n, ra, false);
    }
    String ns = k.string("namespace");
    if (!ns.isEmpty()) {
      for (Res r : ra) {
        if (!r.clusterScoped()) {
          r.setNamespace(ns);
        }
        Transformers.namespaceSubjects(r, ns);
      }
    }
    String prefix = k.string("namePrefix");
    String suffix = k.string("nameSuffix");
    if (!prefix.isEmpty() || !suffix.isEmpty()) {
      for (Res r : ra) {
        if (Transformers.renamable(r)) {
          r.setName(prefix + r.name() + suffix);
          if (!prefix.isEmpty()) {
            r.prefixes.add(prefix);
          }
          if (!suffix.isEmpty()) {
            r.suffixes.add(suffix);
          }
        }
      }
    }
    Map<String, String> common = k.stringMap(k.doc.get("commonLabels"), "commonLabels");
    if (!common.isEmpty()) {
      Transformers.addMap(ra, FieldSpec.COMMON_LABELS, common);
    }
    i = 0;
    for (JsonNode l : k.list("labels")) {
      String entry = "labels[" + i++ + "]";
      Map<String, String> pairs = k.stringMap(l.get("pairs"), entry + ".pairs");
      List<FieldSpec> specs = new ArrayList<>();
      int f = 0;
      for (JsonNode fs : k.listAt(l.get("fields"), entry + ".fields")) {
        String fe = entry + ".fields[" + f++ + "]";
        String path = k.str(fs, "path", fe + ".path");
        if (path.isEmpty()) {
          throw k.error(fe + ".path", Problem.INVALID_VALUE, "is required", null);
        }
        String group = k.str(fs, "group", fe + ".group");
        String kind = k.str(fs, "kind", fe + ".kind");
        specs.add(
            FieldSpec.of(
                group.isEmpty() ? null : group,
                kind.isEmpty() ? null : kind,
                path,
                fs.path("create").asBoolean(false)));
      }
      if (l.path("includeSelectors").asBoolean(false)) {
        specs.addAll(FieldSpec.COMMON_LABELS);
      } else {
        if (l.path("includeTemplates").asBoolean(false)) {
          specs.addAll(FieldSpec.TEMPLATE_LABELS);
        }
        specs.add(FieldSpec.any("metadata/labels", true));
      }
      Transformers.addMap(ra, specs, pairs);
    }
    Map<String, String> annotations =
        k.stringMap(k.doc.get("commonAnnotations"), "commonAnnotations");
    if (!annotations.isEmpty()) {
      Transformers.addMap(ra, FieldSpec.ANNOTATIONS, annotations);
    }
    i = 0;
    for (JsonNode n : k.list("patchesJson6902")) {
      patch(k, "patchesJson6902[" + i++ + "]", n, ra, true);
    }
    i = 0;
    for (JsonNode n : k.list("replicas")) {
      Transformers.replicas(k, "replicas[" + i++ + "]", n, ra);
    }
    i = 0;
    for (JsonNode n : k.list("images")) {
      Transformers.images(k, "images[" + i++ + "]", n, ra);
    }
  }

  private List<ObjectNode> smpDocuments(Kust k, String entry, String text) {
    List<ObjectNode> out = new ArrayList<>();
    List<YamlDocument> docs;
    try {
      docs = Yaml.readDocuments(KyamlScalars.quoteYaml11Booleans(text), k.file + "#" + entry);
    } catch (GlidepathException e) {
      throw k.error(entry, Problem.INVALID_PATCH, e.getMessage(), e);
    }
    for (YamlDocument d : docs) {
      if (!d.content().isObject()) {
        throw k.error(
            entry,
            Problem.INVALID_PATCH,
            "a strategic merge patch must be a map, but is a " + d.content().getNodeType(),
            null);
      }
      out.add((ObjectNode) d.content());
    }
    return out;
  }

  private void applySmpById(Kust k, String entry, List<Res> ra, ObjectNode patch) {
    String kind = patch.path("kind").asString("");
    String apiVersion = patch.path("apiVersion").asString("");
    String name = patch.path("metadata").path("name").asString("");
    String ns = patch.path("metadata").path("namespace").asString("");
    if (kind.isEmpty() || name.isEmpty()) {
      throw k.error(
          entry,
          Problem.INVALID_PATCH,
          "a strategic merge patch without a target needs kind and metadata.name",
          null);
    }
    List<Res> matches = new ArrayList<>();
    for (Res r : ra) {
      if (!r.kind().equals(kind) || !apiVersion.equals(r.apiVersion())) {
        continue;
      }
      for (Res.Id id : r.allIds()) {
        if (id.name().equals(name) && r.effective(id.namespace()).equals(r.effective(ns))) {
          matches.add(r);
          break;
        }
      }
    }
    String id = apiVersion + " " + kind + " " + (ns.isEmpty() ? "" : ns + "/") + name;
    if (matches.isEmpty()) {
      throw k.error(
          entry, Problem.NO_PATCH_TARGET, "no resource matches strategic merge patch " + id, null);
    }
    if (matches.size() > 1) {
      throw k.error(
          entry,
          Problem.NO_PATCH_TARGET,
          "strategic merge patch "
              + id
              + " matches "
              + matches.size()
              + " resources; it needs a unique target",
          null);
    }
    applySmp(k, entry, ra, matches.get(0), patch);
  }

  private void applySmp(Kust k, String entry, List<Res> ra, Res target, ObjectNode patch) {
    ObjectNode merged;
    try {
      merged = StrategicMerge.apply(target.body, patch, target.builtIn());
    } catch (PatchException e) {
      throw k.error(
          entry,
          Problem.INVALID_PATCH,
          "cannot patch " + target.describe() + ": " + e.getMessage(),
          e);
    }
    if (merged == null) {
      ra.remove(target);
    } else {
      target.body = merged;
    }
  }

  private void patch(Kust k, String entry, JsonNode n, List<Res> ra, boolean json6902Only) {
    if (!n.isObject()) {
      throw k.error(entry, Problem.INVALID_VALUE, "must be a map with path or patch", null);
    }
    JsonNode pathNode = n.get("path");
    JsonNode inline = n.get("patch");
    if ((pathNode == null) == (inline == null)) {
      throw k.error(entry, Problem.INVALID_VALUE, "needs exactly one of path and patch", null);
    }
    String text;
    if (pathNode != null) {
      text = readText(k, entry + ".path", resolve(k, entry + ".path", pathNode.asString(""), true));
    } else {
      text = inline.asString("");
    }
    if (text.isBlank()) {
      throw k.error(entry, Problem.INVALID_PATCH, "the patch is empty", null);
    }
    JsonNode target = n.get("target");
    JsonNode options = n.path("options");
    boolean allowNameChange = options.path("allowNameChange").asBoolean(false);
    boolean allowKindChange = options.path("allowKindChange").asBoolean(false);
    List<YamlDocument> docs;
    try {
      docs = Yaml.readDocuments(KyamlScalars.quoteYaml11Booleans(text), k.file + "#" + entry);
    } catch (GlidepathException e) {
      throw k.error(entry, Problem.INVALID_PATCH, e.getMessage(), e);
    }
    boolean json6902 = docs.size() == 1 && docs.get(0).content().isArray();
    if (json6902Only && !json6902) {
      throw k.error(
          entry, Problem.INVALID_PATCH, "a JSON 6902 patch must be a list of operations", null);
    }
    if (target == null) {
      if (json6902) {
        throw k.error(
            entry + ".target", Problem.INVALID_VALUE, "a JSON 6902 patch needs a target", null);
      }
      for (YamlDocument d : docs) {
        if (!d.content().isObject()) {
          throw k.error(
              entry, Problem.INVALID_PATCH, "a strategic merge patch must be a map", null);
        }
        applySmpById(k, entry, ra, (ObjectNode) d.content());
      }
      return;
    }
    List<Res> selected = select(k, entry + ".target", target, ra);
    if (selected.isEmpty()) {
      String msg =
          entry + " in " + k.file + ": target " + Yaml.toJson(target) + " selects no resource";
      if (strict) {
        throw k.error(
            entry + ".target",
            Problem.NO_PATCH_TARGET,
            "target "
                + Yaml.toJson(target)
                + " selects no resource (kustomize would skip this patch silently; use KustomizeRenderer.lenient() for that)",
            null);
      }
      warnings.add(msg);
      return;
    }
    for (Res r : selected) {
      if (json6902) {
        try {
          r.body = JsonPatch.apply(r.body, docs.get(0).content());
        } catch (PatchException e) {
          throw k.error(
              entry,
              Problem.INVALID_PATCH,
              "cannot patch " + r.describe() + ": " + e.getMessage(),
              e);
        }
      } else {
        for (YamlDocument d : docs) {
          if (!d.content().isObject()) {
            throw k.error(
                entry, Problem.INVALID_PATCH, "a strategic merge patch must be a map", null);
          }
          ObjectNode p = ((ObjectNode) d.content()).deepCopy();
          ObjectNode meta = p.withObjectProperty("metadata");
          // the target decides what is patched; the patch's own identity counts only when the
          // options allow it to rename (or re-kind) the target
          if (!allowKindChange || !p.has("kind")) {
            p.put("apiVersion", r.apiVersion());
            p.put("kind", r.kind());
          }
          if (!allowNameChange || !meta.has("name")) {
            meta.put("name", r.name());
          }
          if (r.namespace().isEmpty()) {
            meta.remove("namespace");
          } else {
            meta.put("namespace", r.namespace());
          }
          Res.Id before = new Res.Id(r.name(), r.namespace());
          applySmp(k, entry, ra, r, p);
          if (!before.name().equals(r.name())) {
            r.previous.add(before);
          }
        }
      }
    }
  }

  private List<Res> select(Kust k, String entry, JsonNode t, List<Res> ra) {
    if (!t.isObject()) {
      throw k.error(entry, Problem.INVALID_VALUE, "must be a map", null);
    }
    String group = k.str(t, "group", entry + ".group");
    String version = k.str(t, "version", entry + ".version");
    String kind = k.str(t, "kind", entry + ".kind");
    Pattern name = regex(k, entry + ".name", k.str(t, "name", entry + ".name"));
    Pattern ns = regex(k, entry + ".namespace", k.str(t, "namespace", entry + ".namespace"));
    Selector labels =
        Selector.parse(
            k, entry + ".labelSelector", k.str(t, "labelSelector", entry + ".labelSelector"));
    Selector annotations =
        Selector.parse(
            k,
            entry + ".annotationSelector",
            k.str(t, "annotationSelector", entry + ".annotationSelector"));
    List<Res> out = new ArrayList<>();
    for (Res r : ra) {
      if (!group.isEmpty() && !group.equals(r.group())) {
        continue;
      }
      if (!version.isEmpty() && !version.equals(r.version())) {
        continue;
      }
      if (!kind.isEmpty() && !kind.equals(r.kind())) {
        continue;
      }
      Res.Id org = r.originalId();
      if (name != null
          && !name.matcher(org.name()).matches()
          && !name.matcher(r.name()).matches()) {
        continue;
      }
      if (ns != null
          && !ns.matcher(r.effective(org.namespace())).matches()
          && !ns.matcher(r.effectiveNamespace()).matches()) {
        continue;
      }
      if (labels != null && !labels.matches(labelsOf(r, "labels"))) {
        continue;
      }
      if (annotations != null && !annotations.matches(labelsOf(r, "annotations"))) {
        continue;
      }
      out.add(r);
    }
    return out;
  }

  private static Map<String, String> labelsOf(Res r, String field) {
    Map<String, String> m = new LinkedHashMap<>();
    JsonNode n = r.body.path("metadata").path(field);
    if (n.isObject()) {
      n.forEachEntry((key, v) -> m.put(key, v.asString()));
    }
    return m;
  }

  private static Pattern regex(Kust k, String entry, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    // RE2 syntax and linear-time matching, as kustomize's Go regexp: no target can stall a build
    try {
      return Pattern.compile("^(?:" + value + ")$");
    } catch (PatternSyntaxException e) {
      throw k.error(
          entry,
          Problem.INVALID_VALUE,
          "is not a valid regular expression: " + e.getDescription(),
          e);
    }
  }

  // ---------------------------------------------------------------- generator support

  Path resolveFile(Kust k, String entry, String value) {
    Path p = resolve(k, entry, value, true);
    if (Files.isDirectory(p)) {
      throw k.error(
          entry, Problem.INVALID_VALUE, "\"" + value + "\" is a directory, not a file", null);
    }
    return p;
  }

  byte[] readBytes(Kust k, String entry, Path file) {
    try {
      if (Files.size(file) > Yaml.reader().limits().maxBytes()) {
        throw k.error(
            entry,
            Problem.INVALID_VALUE,
            "file is larger than " + Yaml.reader().limits().maxBytes() + " bytes",
            null);
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw k.error(entry, Problem.MISSING_FILE, "cannot read: " + e.getMessage(), e);
    }
  }

  String text(Kust k, String entry, Path file) {
    return readText(k, entry, file);
  }

  static boolean validKey(String key) {
    return KEY.matcher(key).matches();
  }

  static String base64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static ArrayNode array() {
    return F.arrayNode();
  }

  static Origin origin(Kust k, String entry) {
    return Origin.of(k.file + "#" + entry);
  }
}
