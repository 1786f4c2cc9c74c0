package io.glidepath.core.internal.app;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.Origin;
import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationDestination;
import io.glidepath.core.app.ApplicationException;
import io.glidepath.core.app.ApplicationSource;
import io.glidepath.core.app.Automated;
import io.glidepath.core.app.DirectorySource;
import io.glidepath.core.app.HelmSource;
import io.glidepath.core.app.Info;
import io.glidepath.core.app.ManagedNamespaceMetadata;
import io.glidepath.core.app.Retry;
import io.glidepath.core.app.SyncOptions;
import io.glidepath.core.app.SyncPolicy;
import io.glidepath.core.diff.IgnoreDifference;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.render.FileParameter;
import io.glidepath.core.render.KustomizeOptions;
import io.glidepath.core.render.Parameter;
import io.glidepath.core.time.GoDuration;
import io.glidepath.core.values.Values;
import io.glidepath.core.yaml.FieldPositions;
import io.glidepath.core.yaml.YamlException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/** Reads an Argo CD Application manifest strictly: unknown fields are errors naming their path. */
public final class ApplicationReader {
  private ApplicationReader() {}

  private static final List<String> SERVER_METADATA =
      List.of(
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "managedFields",
          "selfLink",
          "ownerReferences");

  public static Application read(JsonNode tree, Origin origin) {
    return read(tree, origin, Map.of());
  }

  /**
   * Reads {@code tree}, read from {@code text}: errors name the line and column of the field as
   * well as its path.
   */
  public static Application read(JsonNode tree, Origin origin, String text) {
    return read(tree, origin, FieldPositions.of(text, origin.source()).document(0));
  }

  private static Application read(JsonNode tree, Origin origin, Map<String, Origin> positions) {
    Strict root = Strict.of(tree, "", origin, positions);
    String apiVersion = root.requiredString("apiVersion");
    String kind = root.requiredString("kind");
    if (!apiVersion.equals("argoproj.io/v1alpha1") || !kind.equals("Application")) {
      throw root.error(
          "kind", "expected argoproj.io/v1alpha1 Application, but was " + apiVersion + " " + kind);
    }
    Strict meta = root.object("metadata").orElseThrow(() -> root.error("metadata", "is required"));
    String name = meta.requiredString("name");
    String namespace = meta.string("namespace").orElse("");
    var labels = meta.stringMap("labels");
    var annotations = meta.stringMap("annotations");
    var finalizers = meta.strings("finalizers");
    // what the API server (or an ApplicationSet) adds to an object: accepted and ignored, so an
    // Application exported with kubectl get -o yaml loads unchanged
    for (String serverSide : SERVER_METADATA) {
      meta.node(serverSide);
    }
    meta.done();
    Strict spec = root.object("spec").orElseThrow(() -> root.error("spec", "is required"));
    root.node("status"); // written by controllers; accepted and ignored
    root.node("operation"); // a requested sync, written by the Argo CD CLI/UI; ignored
    root.done();

    String project = spec.string("project").orElse("default");
    if (!project.isEmpty() && !ProjectSource.isValidName(project)) {
      throw spec.error("project", ProjectSource.invalidNameReason(project));
    }
    List<ApplicationSource> sources = spec.list("sources", item -> source(item.object(), true));
    ApplicationSource source;
    if (spec.node("sources").isPresent()) {
      if (spec.node("source").isPresent()) {
        // Argo CD ignores spec.source then; a setting silently ignored is refused here
        throw spec.error(
            "source",
            "must not be set together with spec.sources (Argo CD would ignore it): move it into"
                + " spec.sources");
      }
      if (sources.isEmpty()) {
        throw spec.error("sources", "must list at least one source");
      }
      if (sources.stream().allMatch(ApplicationSource::isRefOnly)) {
        throw spec.error(
            "sources", "has only ref sources (a ref without path or chart is not rendered)");
      }
      java.util.Set<String> refs = new java.util.HashSet<>();
      for (int i = 0; i < sources.size(); i++) {
        ApplicationSource s = sources.get(i);
        if (s.ref().isPresent() && !refs.add(s.ref().get())) {
          throw spec.error(
              "sources", "sources[" + i + "]: ref \"" + s.ref().get() + "\" is used twice");
        }
      }
      for (int i = 0; i < sources.size(); i++) {
        for (String file : sources.get(i).helm().map(HelmSource::valueFiles).orElse(List.of())) {
          if (file.startsWith("$")) {
            String ref =
                file.substring(1, file.indexOf('/') < 0 ? file.length() : file.indexOf('/'));
            if (!refs.contains(ref)) {
              throw spec.error(
                  "sources",
                  "sources["
                      + i
                      + "].helm.valueFiles: "
                      + file
                      + " names $"
                      + ref
                      + ", but no source has ref: "
                      + ref);
            }
          }
        }
      }
      source = sources.get(0);
    } else {
      source =
          source(
              spec.object("source").orElseThrow(() -> spec.error("source", "is required")), false);
    }
    ApplicationDestination destination =
        destination(
            spec.object("destination").orElseThrow(() -> spec.error("destination", "is required")));
    SyncPolicy policy =
        spec.object("syncPolicy").map(ApplicationReader::syncPolicy).orElse(SyncPolicy.MANUAL);
    var ignore = spec.list("ignoreDifferences", item -> ignoreDifference(item.object()));
    long historyLimit =
        spec.integer("revisionHistoryLimit")
            .orElse((long) Application.DEFAULT_REVISION_HISTORY_LIMIT);
    if (historyLimit < 0 || historyLimit > Integer.MAX_VALUE) {
      throw spec.error("revisionHistoryLimit", "must be 0 or more, but was " + historyLimit);
    }
    List<Info> info =
        spec.list(
            "info",
            item -> {
              Strict i = item.object();
              Info out = new Info(i.requiredString("name"), i.string("value").orElse(""));
              i.done();
              return out;
            });
    spec.done();
    return new Application(
        name,
        namespace,
        labels,
        annotations,
        finalizers,
        project,
        source,
        destination,
        policy,
        ignore,
        (int) historyLimit,
        info,
        sources);
  }

  /**
   * Reads one source ({@code spec.source}, or an item of {@code spec.sources} when {@code multi})
   * from {@code tree}; errors name {@code origin} and the field's path under {@code path}.
   */
  public static ApplicationSource readSource(
      JsonNode tree, Origin origin, String path, boolean multi) {
    return source(Strict.of(tree, path, origin), multi);
  }

  private static ApplicationSource source(Strict s, boolean multi) {
    String repoURL = s.requiredString("repoURL");
    Optional<String> ref = s.string("ref").filter(r -> !r.isBlank());
    Optional<String> sourceName = s.string("name").filter(r -> !r.isBlank());
    if (!multi && ref.isPresent()) {
      throw s.error("ref", "is only for sources of spec.sources");
    }
    ref.ifPresent(
        r -> {
          if (!r.matches("[A-Za-z0-9_-]+")) {
            throw s.error("ref", "must be letters, digits, '-' or '_', but was \"" + r + "\"");
          }
        });
    String revision = s.string("targetRevision").orElse("HEAD");
    String path = s.string("path").orElse("");
    Optional<String> chart = s.string("chart");
    Optional<HelmSource> helm = s.object("helm").map(ApplicationReader::helm);
    Optional<DirectorySource> directory =
        s.object("directory")
            .map(
                d -> {
                  DirectorySource out =
                      new DirectorySource(
                          d.bool("recurse", false), d.string("include"), d.string("exclude"));
                  d.node("jsonnet").ifPresent(j -> jsonnet(d, j));
                  d.done();
                  return out;
                });
    Optional<KustomizeOptions> kustomize = s.object("kustomize").map(ApplicationReader::kustomize);
    s.node("plugin")
        .ifPresent(
            n -> {
              throw s.error("plugin", "config management plugins are not supported by Glidepath");
            });
    if (chart.filter(c -> !c.isBlank()).isPresent() && !path.isEmpty()) {
      throw s.error("path", "must not be set with chart (a chart source renders the chart itself)");
    }
    s.done();
    ApplicationSource out =
        new ApplicationSource(
            repoURL, revision, path, chart, helm, directory, kustomize, ref, sourceName);
    List<String> types = out.explicitTypes();
    if (types.size() > 1 && !out.isRefOnly()) {
      // Argo CD refuses it when it renders (InvalidSpecError): refused here when it is read
      throw s.error(types.get(1), ApplicationSource.multipleTypes(types));
    }
    return out;
  }

  /** Jsonnet options are accepted only when they ask for nothing. */
  private static void jsonnet(Strict directory, JsonNode jsonnet) {
    boolean empty = true;
    if (jsonnet.isObject()) {
      for (JsonNode v : jsonnet) {
        empty &= v.isNull() || (v.isArray() || v.isObject()) && v.isEmpty();
      }
    } else {
      empty = false;
    }
    if (!empty) {
      throw directory.error("jsonnet", "Jsonnet is not supported by Glidepath");
    }
  }

  /** Kustomize fields Argo CD has that Glidepath does not apply: accepted only when unset. */
  public static final List<String> KUSTOMIZE_UNSUPPORTED =
      List.of(
          "patches",
          "components",
          "commonAnnotationsEnvsubst",
          "labelWithoutSelector",
          "labelIncludeTemplates",
          "kubeVersion",
          "apiVersions",
          "ignoreMissingComponents");

  private static KustomizeOptions kustomize(Strict k) {
    List<String> images = k.strings("images");
    String prefix = k.string("namePrefix").orElse("");
    String suffix = k.string("nameSuffix").orElse("");
    var labels = k.stringMap("commonLabels");
    var annotations = k.stringMap("commonAnnotations");
    boolean forceLabels = k.bool("forceCommonLabels", false);
    boolean forceAnnotations = k.bool("forceCommonAnnotations", false);
    String namespace = k.string("namespace").orElse("");
    List<KustomizeOptions.Replica> replicas =
        k.list(
            "replicas",
            item -> {
              Strict r = item.object();
              String name = r.requiredString("name");
              long count = r.integer("count").orElseThrow(() -> r.error("count", "is required"));
              r.done();
              if (count < 0 || count > Integer.MAX_VALUE) {
                throw r.error("count", "must be 0 or more, but was " + count);
              }
              return new KustomizeOptions.Replica(name, (int) count);
            });
    Optional<String> version = k.string("version");
    for (String field : KUSTOMIZE_UNSUPPORTED) {
      k.node(field)
          .filter(ApplicationReader::asksForSomething)
          .ifPresent(
              n -> {
                throw k.error(
                    field,
                    "is not supported by Glidepath's Kustomize overrides (supported: images,"
                        + " namePrefix, nameSuffix, commonLabels, commonAnnotations,"
                        + " forceCommonLabels, forceCommonAnnotations, namespace, replicas,"
                        + " version)");
              });
    }
    k.done();
    return valid(
        k,
        "images",
        () ->
            new KustomizeOptions(
                images,
                prefix,
                suffix,
                labels,
                annotations,
                forceLabels,
                forceAnnotations,
                namespace,
                replicas,
                version));
  }

  private static boolean asksForSomething(JsonNode n) {
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isString()) {
      return !n.stringValue().isEmpty() && !n.stringValue().equals("false");
    }
    return !((n.isArray() || n.isObject()) && n.isEmpty());
  }

  private static HelmSource helm(Strict h) {
    var valueFiles = h.strings("valueFiles");
    var parameters =
        h.list(
            "parameters",
            item -> {
              Strict p = item.object();
              String name = p.requiredString("name");
              String value = p.string("value").orElse("");
              boolean forceString = p.bool("forceString", false);
              p.done();
              return new Parameter(name, value, forceString);
            });
    Optional<String> releaseName = h.string("releaseName");
    Optional<String> values = h.string("values");
    values.ifPresent(v -> valid(h, "values", () -> Values.parse(v, h.path("values"))));
    Optional<Values> valuesObject =
        h.node("valuesObject")
            .map(
                n -> {
                  if (!n.isObject()) {
                    throw h.error(
                        "valuesObject",
                        "must be a mapping, but was "
                            + n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
                  }
                  return Values.of(n);
                });
    boolean ignoreMissing = h.bool("ignoreMissingValueFiles", false);
    boolean skipCrds = h.bool("skipCrds", false);
    List<FileParameter> fileParameters =
        h.list(
            "fileParameters",
            item -> {
              Strict p = item.object();
              String name = p.requiredString("name");
              String path = p.requiredString("path");
              p.done();
              return new FileParameter(name, path);
            });
    Optional<String> version = h.string("version");
    boolean passCredentials = h.bool("passCredentials", false);
    Optional<String> namespace = h.string("namespace").filter(v -> !v.isBlank());
    Optional<String> kubeVersion = h.string("kubeVersion").filter(v -> !v.isBlank());
    List<String> apiVersions = h.strings("apiVersions");
    boolean skipTests = h.bool("skipTests", false);
    boolean skipSchemaValidation = h.bool("skipSchemaValidation", false);
    h.done();
    return valid(
        h,
        "version",
        () ->
            new HelmSource(
                valueFiles,
                parameters,
                releaseName,
                values,
                ignoreMissing,
                skipCrds,
                valuesObject,
                fileParameters,
                version,
                passCredentials,
                namespace,
                kubeVersion,
                apiVersions,
                skipTests,
                skipSchemaValidation));
  }

  private static ApplicationDestination destination(Strict d) {
    Optional<String> server = d.string("server");
    Optional<String> name = d.string("name");
    String namespace = d.string("namespace").orElse("");
    d.done();
    if (server.isEmpty() && name.isEmpty()) {
      throw d.error("server", "destination needs a server or a name");
    }
    return new ApplicationDestination(server, name, namespace);
  }

  private static SyncPolicy syncPolicy(Strict p) {
    Optional<Automated> automated =
        p.object("automated")
            .flatMap(
                a -> {
                  Automated out =
                      new Automated(
                          a.bool("prune", false),
                          a.bool("selfHeal", false),
                          a.bool("allowEmpty", false));
                  // Argo CD 3.x: enabled false turns automated sync off, the other fields kept
                  // for later; unset means on
                  boolean enabled = a.bool("enabled", true);
                  a.done();
                  return enabled ? Optional.of(out) : Optional.empty();
                });
    var list = p.strings("syncOptions");
    SyncOptions options = valid(p, "syncOptions", () -> new SyncOptions(list));
    Optional<Retry> retry = p.object("retry").map(ApplicationReader::retry);
    Optional<ManagedNamespaceMetadata> metadata =
        p.object("managedNamespaceMetadata")
            .map(
                m -> {
                  var out =
                      new ManagedNamespaceMetadata(
                          m.stringMap("labels"), m.stringMap("annotations"));
                  m.done();
                  return out;
                });
    p.done();
    return new SyncPolicy(automated, options, retry, metadata);
  }

  private static Retry retry(Strict r) {
    long limit = r.integer("limit").orElse(-1L);
    if (r.bool("refresh", false)) {
      throw r.error(
          "refresh",
          "is not supported by Glidepath: a retry applies the revision the sync started with");
    }
    Retry.Backoff backoff =
        r.object("backoff")
            .map(
                b -> {
                  Duration duration = duration(b, "duration", Retry.Backoff.DEFAULT.duration());
                  long factor = b.integer("factor").orElse(Retry.Backoff.DEFAULT.factor());
                  Duration max = duration(b, "maxDuration", Retry.Backoff.DEFAULT.maxDuration());
                  b.done();
                  return valid(b, "factor", () -> new Retry.Backoff(duration, factor, max));
                })
            .orElse(Retry.Backoff.DEFAULT);
    r.done();
    return valid(r, "limit", () -> new Retry((int) Math.max(Integer.MIN_VALUE, limit), backoff));
  }

  private static Duration duration(Strict s, String field, Duration dflt) {
    Optional<String> text = s.string(field);
    if (text.isEmpty()) {
      return dflt;
    }
    return valid(s, field, () -> GoDuration.parse(text.get()));
  }

  private static IgnoreDifference ignoreDifference(Strict i) {
    String group = i.string("group").orElse("");
    String kind = i.requiredString("kind");
    Optional<String> name = i.string("name");
    Optional<String> namespace = i.string("namespace");
    var pointers = i.strings("jsonPointers");
    var jq = i.strings("jqPathExpressions");
    var managers = i.strings("managedFieldsManagers");
    i.done();
    return valid(
        i,
        "jqPathExpressions",
        () -> new IgnoreDifference(group, kind, name, namespace, pointers, jq, managers));
  }

  private static <T> T valid(Strict s, String field, Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException | GlidepathException e) {
      if (e instanceof ApplicationException ae) {
        throw ae;
      }
      throw s.error(field, e instanceof YamlException ye ? ye.problem() : e.getMessage());
    }
  }
}
