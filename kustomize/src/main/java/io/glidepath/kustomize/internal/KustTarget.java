package io.glidepath.kustomize.internal;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.render.KustomizeOptions;
import io.glidepath.core.render.RemoteBaseAllowList;
import io.glidepath.core.render.RemoteBaseLoader;
import io.glidepath.core.render.RepositoryPaths;
import io.glidepath.core.resource.DuplicateResourceException;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import io.glidepath.kustomize.KustomizeException;
import io.glidepath.kustomize.KustomizeException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds one kustomization the way kustomize's {@code KustTarget} does: accumulate resources (files
 * and nested kustomizations), read transformer configurations, run generators, apply components,
 * then the built-in transformers in kustomize's fixed order. At the top only: hash suffixes, name
 * references, local-config removal, ordering.
 *
 * <p>One build per call; not shared between threads.
 */
public final class KustTarget {
  /** What a build produced. */
  public record Output(ResourceSet resources, List<String> warnings) {}

  /** The resources of one kustomization layer and the configuration they are transformed with. */
  static final class Acc {
    final List<Res> ra = new ArrayList<>();
    TransformerConfig config = TransformerConfig.empty();
    final List<Vars.Var> vars = new ArrayList<>();
  }

  private final FileAccess files;
  private final KustLoader loader;
  private final Generators generators;
  private final Patches patches;
  private final BuiltinPlugins plugins;
  private final List<String> warnings = new ArrayList<>();
  private BuildMetadata meta;
  private final Deque<Path> stack = new ArrayDeque<>();

  private final HelmCharts helm;

  private final RemoteBases remote;

  private KustTarget(
      RepositoryPaths paths,
      boolean strict,
      KustomizeOptions.BuildOptions build,
      RemoteBaseAllowList allowList,
      RemoteBaseLoader remoteLoader) {
    this.remote = new RemoteBases(allowList, remoteLoader, warnings);
    this.files = new FileAccess(paths, !build.loadRestrictionsNone(), remote);
    this.helm = new HelmCharts(files, build.enableHelm());
    this.loader = new KustLoader(files);
    this.generators = new Generators(files);
    this.patches = new Patches(files, strict, warnings);
    this.plugins = new BuiltinPlugins(files, generators, patches, this::pluginConfigs);
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
    return build(paths, dir, strictPatchTargets, overrides, RemoteBaseLoader.NONE);
  }

  /**
   * Builds the kustomization in {@code dir} after applying Argo CD's {@code overrides}, fetching
   * the remote bases {@link KustomizeOptions#allowedRemoteBases()} allows through {@code
   * remoteLoader}.
   *
   * @throws KustomizeException on bad input
   */
  public static Output build(
      RepositoryPaths paths,
      Path dir,
      boolean strictPatchTargets,
      KustomizeOptions overrides,
      RemoteBaseLoader remoteLoader) {
    KustTarget t =
        new KustTarget(
            paths,
            strictPatchTargets,
            overrides.build(),
            RemoteBaseAllowList.of(overrides.allowedRemoteBases()),
            remoteLoader);
    try (RemoteBases ignored = t.remote) {
      return t.run(dir, overrides);
    }
  }

  private Output run(Path dir, KustomizeOptions overrides) {
    KustTarget t = this;
    Kust top = t.loader.load(dir, "kustomization", null);
    Overrides.apply(top, overrides);
    t.meta = BuildMetadata.of(top, overrides.build().enableManagedByLabel(), t.warnings);
    Acc acc = new Acc();
    t.accumulate(top, acc);
    List<Res> all = acc.ra;
    for (Res r : all) {
      if (r.needsHash) {
        r.storePreviousId();
        r.setName(r.name() + "-" + NameHash.of(r.body));
      }
    }
    try {
      NameReferences.fix(all, acc.config);
    } catch (PatchException e) {
      throw top.error("nameReference", Problem.CONFLICT, e.getMessage(), e);
    }
    Vars.resolve(top, acc.vars, all, acc.config);
    all.removeIf(
        r ->
            "true"
                .equals(
                    r.body
                        .path("metadata")
                        .path("annotations")
                        .path("config.kubernetes.io/local-config")
                        .asString("")));
    List<Res> ordered = LegacyOrder.sort(all, top.doc.get("sortOptions"), top);
    List<Resource> out = new ArrayList<>(ordered.size());
    for (Res r : ordered) {
      t.meta.finish(r);
      OutputForm.apply(r.body, r.keepEmptyAnnotations);
      if (r.apiVersion().isEmpty()) {
        throw top.error(
            "resources",
            Problem.INVALID_RESOURCE,
            r.kind()
                + " \""
                + r.name()
                + "\" (from "
                + r.origin
                + ") has no apiVersion; kustomize prints it so, but it cannot be applied to a"
                + " cluster",
            null);
      }
      try {
        out.add(Resource.of(r.body, r.origin));
      } catch (GlidepathException e) {
        throw top.error("resources", Problem.INVALID_RESOURCE, e.getMessage(), e);
      }
    }
    try {
      return new Output(ResourceSet.of(out), List.copyOf(t.warnings));
    } catch (DuplicateResourceException e) {
      throw top.error("resources", Problem.CONFLICT, e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- accumulate

  private void accumulate(Kust k, Acc acc) {
    Path real;
    try {
      real = k.dir.toRealPath();
    } catch (IOException e) {
      real = k.dir.toAbsolutePath().normalize();
    }
    if (stack.contains(real)) {
      List<String> chain = new ArrayList<>();
      stack.descendingIterator().forEachRemaining(p -> chain.add(files.relative(p)));
      chain.add(files.relative(real));
      throw k.error(
          "resources",
          Problem.CYCLE,
          "kustomizations include each other: " + String.join(" -> ", chain),
          null);
    }
    stack.push(real);
    try {
      openapi(k);
      int i = 0;
      for (JsonNode n : k.list("resources")) {
        String entry = "resources[" + i++ + "]";
        if (!n.isString()) {
          throw k.error(entry, Problem.INVALID_VALUE, "must be a path", null);
        }
        accumulateEntry(k, entry, n.stringValue(), acc);
      }
      acc.config = acc.config.merge(configurations(k).merge(TransformerConfig.defaults()));
      acc.config = acc.config.merge(crds(k));
      generators.run(k, acc.ra);
      helm.run(k, acc.ra);
      plugins.generate(k, acc.ra);
      i = 0;
      for (JsonNode n : k.list("components")) {
        String entry = "components[" + i++ + "]";
        if (!n.isString()) {
          throw k.error(entry, Problem.INVALID_VALUE, "must be a path", null);
        }
        Path dir = files.resolveBase(k, entry, n.stringValue(), false);
        if (!Files.isDirectory(dir)) {
          throw k.error(
              entry,
              Problem.INVALID_VALUE,
              "'" + n.stringValue() + "' must be a directory to be a root (a component)",
              null);
        }
        Kust c = loader.load(dir, entry, k);
        if (!c.isComponent()) {
          throw k.error(
              entry,
              Problem.INVALID_VALUE,
              "expected kind 'Component' for path '"
                  + c.file
                  + "' but got '"
                  + (c.string("kind").isEmpty() ? "Kustomization" : c.string("kind"))
                  + "'",
              null);
        }
        accumulate(c, acc);
      }
      transform(k, acc);
      Vars.merge(k, acc.ra, acc.vars);
    } finally {
      stack.pop();
    }
  }

  /** kustomize's {@code openapi}: a custom schema's merge keys apply from here on. */
  private void openapi(Kust k) {
    JsonNode o = k.doc.get("openapi");
    if (o == null || o.isNull()) {
      return;
    }
    if (!o.isObject()) {
      throw k.error("openapi", Problem.INVALID_VALUE, "must be a map with path or version", null);
    }
    for (String field : o.propertyNames()) {
      if (!field.equals("path") && !field.equals("version")) {
        throw k.error(
            "openapi." + field, Problem.UNKNOWN_FIELD, "openapi has path or version", null);
      }
    }
    String version = k.str(o, "version", "openapi.version");
    if (!version.isEmpty() && !version.equals("v1.21.2")) {
      throw k.error(
          "openapi.version",
          Problem.UNSUPPORTED_FIELD,
          "Glidepath has kustomize's default schema (v1.21.2) only, not " + version,
          null);
    }
    String path = k.str(o, "path", "openapi.path");
    if (!path.isEmpty()) {
      try {
        patches.schema = OpenApiSchema.parse(files.textOf(k, "openapi.path", path), path);
      } catch (GlidepathException | IllegalArgumentException e) {
        throw k.error("openapi.path", Problem.INVALID_VALUE, e.getMessage(), e);
      }
    }
  }

  private TransformerConfig configurations(Kust k) {
    TransformerConfig tc = TransformerConfig.empty();
    int i = 0;
    for (JsonNode n : k.list("configurations")) {
      String entry = "configurations[" + i++ + "]";
      if (!n.isString()) {
        throw k.error(entry, Problem.INVALID_VALUE, "must be a path", null);
      }
      String text = files.textOf(k, entry, n.stringValue());
      try {
        tc = tc.merge(TransformerConfig.parse(Yaml.readTree(text, entry), n.stringValue()));
      } catch (GlidepathException | IllegalArgumentException e) {
        throw k.error(entry, Problem.INVALID_VALUE, e.getMessage(), e);
      }
    }
    return tc;
  }

  private TransformerConfig crds(Kust k) {
    TransformerConfig tc = TransformerConfig.empty();
    int i = 0;
    for (JsonNode n : k.list("crds")) {
      String entry = "crds[" + i++ + "]";
      if (!n.isString()) {
        throw k.error(entry, Problem.INVALID_VALUE, "must be a path", null);
      }
      String text = files.textOf(k, entry, n.stringValue());
      try {
        tc = tc.merge(CrdConfig.parse(text, n.stringValue()));
      } catch (GlidepathException | IllegalArgumentException e) {
        throw k.error(entry, Problem.INVALID_VALUE, e.getMessage(), e);
      }
    }
    return tc;
  }

  private void accumulateEntry(Kust k, String entry, String value, Acc acc) {
    Path p = files.resolveBase(k, entry, value, true);
    if (Files.isDirectory(p)) {
      Kust sub = loader.load(p, entry, k);
      if (sub.isComponent()) {
        throw k.error(
            entry,
            Problem.INVALID_VALUE,
            "expected kind != 'Component' for path '"
                + sub.file
                + "' (list components under components)",
            null);
      }
      Acc subAcc = new Acc();
      accumulate(sub, subAcc);
      append(k, entry, acc.ra, subAcc.ra);
      acc.config = acc.config.merge(subAcc.config);
      Vars.add(k, entry, acc.vars, subAcc.vars);
      return;
    }
    String text = files.readText(k, entry, p);
    List<YamlDocument> docs;
    try {
      docs = Yaml.readDocuments(KyamlScalars.quoteYaml11Booleans(text), files.relative(p));
    } catch (GlidepathException e) {
      throw k.error(entry, Problem.INVALID_RESOURCE, e.getMessage(), e);
    }
    List<Res> added = new ArrayList<>();
    for (YamlDocument d : docs) {
      for (JsonNode item : expandList(d.content())) {
        String problem = invalid(item);
        if (problem != null) {
          throw k.error(
              entry,
              Problem.INVALID_RESOURCE,
              problem + " in " + d.origin() + ": " + summary(item),
              null);
        }
        Res r = new Res((ObjectNode) item, d.origin());
        r.source = p;
        added.add(r);
      }
    }
    append(k, entry, acc.ra, added);
  }

  /** A kustomization listed under generators or transformers, built like a base. */
  private List<Res> pluginConfigs(Kust k, String entry, Path dir) {
    Kust sub = loader.load(dir, entry, k);
    Acc subAcc = new Acc();
    accumulate(sub, subAcc);
    return subAcc.ra;
  }

  /** kustomize's checks on a resource document: a map with kind and metadata.name. */
  private static String invalid(JsonNode item) {
    if (!item.isObject()) {
      return "a resource must be a map, but is a " + item.getNodeType();
    }
    JsonNode kind = item.get("kind");
    if (kind == null || !kind.isString() || kind.stringValue().isEmpty()) {
      return "missing kind";
    }
    JsonNode name = item.path("metadata").path("name");
    if (!name.isString() || name.stringValue().isEmpty()) {
      return "missing metadata.name";
    }
    return null;
  }

  private static String summary(JsonNode item) {
    String s = item.isObject() ? item.path("kind").asString("?") : item.getNodeType().toString();
    return s.length() > 80 ? s.substring(0, 80) : s;
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

  /** Adds {@code added} to {@code ra}; an id already there is a conflict, as in kustomize. */
  static void append(Kust k, String entry, List<Res> ra, List<Res> added) {
    Map<String, Res> ids = new HashMap<>();
    for (Res old : ra) {
      ids.put(key(old.curId()), old);
    }
    for (Res r : added) {
      Res old = ids.putIfAbsent(key(r.curId()), r);
      if (old != null) {
        throw k.error(
            entry,
            Problem.CONFLICT,
            "may not add resource with an already registered id: "
                + r.curId()
                + " (from "
                + r.origin
                + "; the first from "
                + old.origin
                + ")",
            null);
      }
      ra.add(r);
    }
  }

  private static String key(ResId id) {
    return id.gvk().group()
        + "|"
        + id.gvk().version()
        + "|"
        + id.gvk().kind()
        + "|"
        + id.effectiveNamespace()
        + "|"
        + id.name();
  }

  // ---------------------------------------------------------------- transformers

  private void transform(Kust k, Acc acc) {
    List<Res> ra = acc.ra;
    TransformerConfig tc = acc.config;
    patches.strategicMerge(k, ra);
    if (!k.list("patchesStrategicMerge").isEmpty()) {
      meta.ran(k, "PatchStrategicMergeTransformer", ra);
    }
    patches.patches(k, "patches", ra);
    meta.ran(k, "PatchTransformer", k.list("patches").size(), ra);
    String ns = k.string("namespace");
    if (!ns.isEmpty()) {
      NamespaceTransformer.apply(
          ra, ns, tc.get("namespace"), false, NamespaceTransformer.Subjects.DEFAULT_ONLY);
      meta.ran(k, "NamespaceTransformer", ra);
    }
    String prefix = k.string("namePrefix");
    if (!prefix.isEmpty()) {
      NameTransformer.apply(ra, prefix, "", tc.get("namePrefix"));
      meta.ran(k, "PrefixTransformer", ra);
    }
    String suffix = k.string("nameSuffix");
    if (!suffix.isEmpty()) {
      NameTransformer.apply(ra, "", suffix, tc.get("nameSuffix"));
      meta.ran(k, "SuffixTransformer", ra);
    }
    labels(k, ra, tc);
    Map<String, String> annotations =
        k.stringMap(k.doc.get("commonAnnotations"), "commonAnnotations");
    if (!annotations.isEmpty()) {
      MapTransformer.apply(ra, tc.get("commonAnnotations"), annotations);
      meta.ran(k, "AnnotationsTransformer", ra);
    }
    patches.patches(k, "patchesJson6902", ra);
    meta.ran(k, "PatchJson6902Transformer", k.list("patchesJson6902").size(), ra);
    int i = 0;
    for (JsonNode n : k.list("replicas")) {
      String entry = "replicas[" + i++ + "]";
      String name = k.str(n, "name", entry + ".name");
      JsonNode count = n.get("count");
      if (name.isEmpty()) {
        throw k.error(entry + ".name", Problem.INVALID_VALUE, "is required", null);
      }
      if (count == null || !count.isIntegralNumber()) {
        throw k.error(entry + ".count", Problem.INVALID_VALUE, "must be an integer", null);
      }
      try {
        ReplicaTransformer.apply(ra, name, count.asLong(), tc.get("replicas"));
        meta.ran(k, "ReplicaCountTransformer", ra);
      } catch (PatchException e) {
        throw k.error(entry, Problem.NO_PATCH_TARGET, e.getMessage(), e);
      }
    }
    i = 0;
    for (JsonNode n : k.list("images")) {
      String entry = "images[" + i++ + "]";
      ImageTransformer.Image image =
          new ImageTransformer.Image(
              k.str(n, "name", entry + ".name"),
              k.str(n, "newName", entry + ".newName"),
              k.str(n, "newTag", entry + ".newTag"),
              k.str(n, "digest", entry + ".digest"),
              k.str(n, "tagSuffix", entry + ".tagSuffix"));
      if (image.name().isEmpty()) {
        throw k.error(entry + ".name", Problem.INVALID_VALUE, "is required", null);
      }
      if (!image.tagSuffix().isEmpty()
          && (!image.newTag().isEmpty() || !image.digest().isEmpty())) {
        throw k.error(
            entry + ".tagSuffix",
            Problem.INVALID_VALUE,
            "tagSuffix cannot be combined with newTag or digest",
            null);
      }
      try {
        ImageTransformer.apply(ra, image, tc.get("images"));
        meta.ran(k, "ImageTagTransformer", ra);
      } catch (PatchException e) {
        throw k.error(entry, Problem.INVALID_VALUE, e.getMessage(), e);
      }
    }
    List<JsonNode> replacements = Replacements.load(k, files);
    if (!replacements.isEmpty()) {
      Replacements.apply(k, "replacements", replacements, ra);
      meta.ran(k, "ReplacementTransformer", ra);
    }
    plugins.transform(k, ra, tc);
  }

  /** kustomize's label transformers: each {@code labels} entry, then {@code commonLabels}. */
  private void labels(Kust k, List<Res> ra, TransformerConfig tc) {
    int i = 0;
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
        specs.add(new FieldSpec(Gvk.selector(fs), path, k.bool(fs, "create", fe + ".create")));
      }
      if (k.bool(l, "includeSelectors", entry + ".includeSelectors")) {
        specs = TransformerConfig.mergeSpecs(specs, tc.get("commonLabels"));
      } else {
        if (k.bool(l, "includeTemplates", entry + ".includeTemplates")) {
          specs = TransformerConfig.mergeSpecs(specs, tc.get("templateLabels"));
        }
        specs =
            TransformerConfig.mergeSpecs(specs, List.of(FieldSpec.any("metadata/labels", true)));
      }
      specs = TransformerConfig.mergeSpecs(specs, tc.get("labels"));
      try {
        MapTransformer.apply(ra, specs, pairs);
        meta.ran(k, "LabelTransformer", ra);
      } catch (PatchException e) {
        throw k.error(entry, Problem.INVALID_VALUE, e.getMessage(), e);
      }
    }
    Map<String, String> common = k.stringMap(k.doc.get("commonLabels"), "commonLabels");
    try {
      if (!common.isEmpty()) {
        MapTransformer.apply(ra, tc.get("commonLabels"), common);
        meta.ran(k, "LabelTransformer", ra);
      }
    } catch (PatchException e) {
      throw k.error("commonLabels", Problem.INVALID_VALUE, e.getMessage(), e);
    }
  }
}
