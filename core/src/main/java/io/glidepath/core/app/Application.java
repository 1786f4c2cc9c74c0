package io.glidepath.core.app;

import io.glidepath.core.Origin;
import io.glidepath.core.Redaction;
import io.glidepath.core.Utf8;
import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.IgnoreDifference;
import io.glidepath.core.internal.app.ApplicationReader;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * An Argo CD {@code Application} ({@code argoproj.io/v1alpha1}): what to deploy (source), where
 * (destination), and how to sync (policy, ignored differences).
 *
 * <p>Read one from YAML; unknown fields are errors naming their path, so a typo never silently
 * disables a setting:
 *
 * <pre>{@code
 * Application app = Application.read(Path.of("argocd-app.yaml"));
 * app.syncPolicy().retry().orElseThrow().backoff().maxDuration(); // PT3M
 * }</pre>
 *
 * or build one in code:
 *
 * <pre>{@code
 * Application app = Application.builder("trade-service")
 *     .project("production")
 *     .source(ApplicationSource.of(repo, "main", "apps/trade-service")
 *         .withHelm(HelmSource.ofValueFiles("values.yaml", "values-production.yaml")))
 *     .destination(ApplicationDestination.inCluster("production"))
 *     .syncPolicy(new SyncPolicy(Optional.of(new Automated(true, true, false)),
 *         SyncOptions.of("CreateNamespace=true"), Optional.empty()))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param name {@code metadata.name}
 * @param namespace {@code metadata.namespace} ({@code ""} when unset)
 * @param labels {@code metadata.labels}
 * @param annotations {@code metadata.annotations}
 * @param finalizers {@code metadata.finalizers}
 * @param project the Argo CD project (default {@code default})
 * @param source where the manifests come from
 * @param destination where they go
 * @param syncPolicy how to sync
 * @param ignoreDifferences fields to leave out of drift detection
 * @param revisionHistoryLimit how many entries of {@code status.history} to keep (Argo CD's
 *     default: 10)
 * @param info free-form {@code spec.info} entries, kept as read
 * @param sources {@code spec.sources} of a multi-source application, in order; empty for an
 *     application with one {@code spec.source} (then {@link #source()} is it; for a multi-source
 *     application {@link #source()} is the first of these, as Argo CD's {@code GetSource()})
 */
public record Application(
    String name,
    String namespace,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<String> finalizers,
    String project,
    ApplicationSource source,
    ApplicationDestination destination,
    SyncPolicy syncPolicy,
    List<IgnoreDifference> ignoreDifferences,
    int revisionHistoryLimit,
    List<Info> info,
    List<ApplicationSource> sources) {
  /** Argo CD's default of {@code spec.revisionHistoryLimit}. */
  public static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;

  /**
   * This single-source application with Argo CD's parameter override files in {@code appDir} (its
   * source's checkout at {@code repoRoot}) merged into its source: {@code .argocd-source.yaml},
   * then {@code .argocd-source-<name>.yaml} (docs/application.md); this application itself when
   * there are none. {@link ApplicationRenderer} merges them for every source by itself.
   *
   * @throws IllegalStateException for a multi-source application
   * @throws io.glidepath.core.render.RenderException naming the file when one cannot be used
   */
  public Application withOverrideFiles(java.nio.file.Path repoRoot, java.nio.file.Path appDir) {
    if (hasMultipleSources()) {
      throw new IllegalStateException(name + " has spec.sources: each source has its own files");
    }
    ApplicationSource merged =
        SourceOverrides.apply(source, repoRoot, appDir, name, namespace, "spec.source", false);
    return merged == source
        ? this
        : new Application(
            name,
            namespace,
            labels,
            annotations,
            finalizers,
            project,
            merged,
            destination,
            syncPolicy,
            ignoreDifferences,
            revisionHistoryLimit,
            info,
            sources);
  }

  /** Argo CD's finalizer that deletes an application's resources with it. */
  public static final String RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";

  public Application {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("application name must not be blank");
    }
    namespace = namespace == null ? "" : namespace;
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    finalizers = List.copyOf(finalizers);
    project = project == null || project.isBlank() ? "default" : project;
    if (!ProjectSource.isValidName(project)) {
      throw new IllegalArgumentException(
          "spec.project " + ProjectSource.invalidNameReason(project));
    }
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(syncPolicy, "syncPolicy");
    ignoreDifferences = List.copyOf(ignoreDifferences);
    if (revisionHistoryLimit < 0) {
      throw new IllegalArgumentException(
          "revisionHistoryLimit must be 0 or more, but was " + revisionHistoryLimit);
    }
    info = List.copyOf(info);
    sources = List.copyOf(sources);
    if (!sources.isEmpty() && !source.equals(sources.get(0))) {
      throw new IllegalArgumentException(
          "source must be the first of sources for a multi-source application");
    }
    java.util.Set<String> refs = new java.util.HashSet<>();
    for (ApplicationSource s : sources) {
      if (s.ref().isPresent() && !refs.add(s.ref().get())) {
        throw new IllegalArgumentException("two sources have ref \"" + s.ref().get() + "\"");
      }
    }
  }

  /** A single-source application. */
  public Application(
      String name,
      String namespace,
      Map<String, String> labels,
      Map<String, String> annotations,
      List<String> finalizers,
      String project,
      ApplicationSource source,
      ApplicationDestination destination,
      SyncPolicy syncPolicy,
      List<IgnoreDifference> ignoreDifferences,
      int revisionHistoryLimit,
      List<Info> info) {
    this(
        name,
        namespace,
        labels,
        annotations,
        finalizers,
        project,
        source,
        destination,
        syncPolicy,
        ignoreDifferences,
        revisionHistoryLimit,
        info,
        List.of());
  }

  /** An application with the default history limit and no info entries. */
  public Application(
      String name,
      String namespace,
      Map<String, String> labels,
      Map<String, String> annotations,
      List<String> finalizers,
      String project,
      ApplicationSource source,
      ApplicationDestination destination,
      SyncPolicy syncPolicy,
      List<IgnoreDifference> ignoreDifferences) {
    this(
        name,
        namespace,
        labels,
        annotations,
        finalizers,
        project,
        source,
        destination,
        syncPolicy,
        ignoreDifferences,
        DEFAULT_REVISION_HISTORY_LIMIT,
        List.of());
  }

  /**
   * Reads an Application from a YAML file.
   *
   * @throws ApplicationException naming the field path for unknown fields and bad values
   */
  public static Application read(Path file) {
    JsonNode tree = Yaml.readTree(file);
    String text;
    try {
      text = Utf8.read(file, file.toString());
    } catch (IOException e) {
      // read a moment ago; without the text the errors name no line
      return ApplicationReader.read(tree, Origin.of(file.toString()));
    }
    return ApplicationReader.read(tree, Origin.of(file.toString()), text);
  }

  /**
   * Reads an Application from YAML text; {@code source} names it in errors (with the field's line
   * and column when the text has more than one line).
   */
  public static Application parse(String yaml, String source) {
    JsonNode tree = Yaml.readTree(yaml, source);
    return yaml.strip().indexOf('\n') < 0
        ? ApplicationReader.read(tree, Origin.of(source))
        : ApplicationReader.read(tree, Origin.of(source), yaml);
  }

  /**
   * Reads an Application from an object already parsed, such as one the API server sent; {@code
   * source} names it in errors (with the field's path; there is no text to give a line).
   *
   * <pre>{@code
   * Application app = Application.read(objectFromTheCluster, "argocd/Application/shop");
   * }</pre>
   *
   * @throws ApplicationException naming the field path for unknown fields and bad values
   */
  public static Application read(JsonNode object, String source) {
    return ApplicationReader.read(object, Origin.of(source));
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Whether the application uses {@code spec.sources} (Argo CD's {@code HasMultipleSources()}). */
  public boolean hasMultipleSources() {
    return !sources.isEmpty();
  }

  /** Every source: {@link #sources()} for a multi-source application, else {@link #source()}. */
  public List<ApplicationSource> allSources() {
    return sources.isEmpty() ? List.of(source) : sources;
  }

  /** Whether deleting the application also deletes its resources. */
  public boolean cascadesDeletion() {
    return finalizers.contains(RESOURCES_FINALIZER);
  }

  /** The drift options of this application: its ignored differences. */
  public DiffOptions diffOptions() {
    return DiffOptions.builder().ignoreDifferences(ignoreDifferences).build();
  }

  /**
   * A render request for this application's source in a checkout at {@code repoRoot}: the source
   * path and the destination namespace; Helm's value files, inline values, parameters, file
   * parameters, release name, namespace, kube version, API versions and CRD choice; the directory's
   * recursion and globs; the Kustomize overrides.
   */
  public RenderRequest renderRequest(Path repoRoot) {
    return renderRequest(source, repoRoot, Map.of());
  }

  /**
   * A render request for one of this application's sources: {@code root} is the source's Git
   * checkout (then the request renders the source's path in it) or its fetched chart (for a chart
   * source: the request renders the chart itself); {@code refs} are the checkouts of the
   * application's {@code ref} sources by name, for {@code $ref/...} value files.
   */
  public RenderRequest renderRequest(ApplicationSource source, Path root, Map<String, Path> refs) {
    RenderRequest.Builder b =
        RenderRequest.builder(root, source.isChart() ? "" : source.path())
            .namespace(destination.namespace())
            .releaseName(
                source.helm().flatMap(HelmSource::releaseName).orElse(validReleaseName(name)));
    source
        .helm()
        .ifPresent(
            h -> {
              b.valueFiles(h.valueFiles());
              b.inlineValues(h.inlineValues());
              b.parameters(h.parameters());
              b.fileParameters(h.fileParameters());
              b.ignoreMissingValueFiles(h.ignoreMissingValueFiles());
              b.skipCrds(h.skipCrds());
              b.apiVersions(h.apiVersions());
              b.skipSchemaValidation(h.skipSchemaValidation());
              b.skipTests(h.skipTests());
              h.namespace().ifPresent(b::namespace);
              h.kubeVersion().ifPresent(b::kubeVersion);
            });
    refs.forEach(b::ref);
    source.kustomize().ifPresent(b::kustomize);
    source
        .directory()
        .ifPresent(
            d -> {
              b.recurse(d.recurse());
              d.include().ifPresent(b::include);
              d.exclude().ifPresent(b::exclude);
            });
    return b.build();
  }

  private static String validReleaseName(String name) {
    return name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") ? name : null;
  }

  /** Builds an {@link Application}; defaults: project {@code default}, manual sync. */
  public static final class Builder {
    private final String name;
    private String namespace = "";
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private final List<String> finalizers = new ArrayList<>();
    private String project = "default";
    private ApplicationSource source;
    private ApplicationDestination destination;
    private SyncPolicy syncPolicy = SyncPolicy.MANUAL;
    private final List<IgnoreDifference> ignoreDifferences = new ArrayList<>();
    private int revisionHistoryLimit = DEFAULT_REVISION_HISTORY_LIMIT;
    private final List<Info> info = new ArrayList<>();
    private final List<ApplicationSource> sources = new ArrayList<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Builder annotation(String key, String value) {
      annotations.put(key, value);
      return this;
    }

    public Builder finalizer(String finalizer) {
      finalizers.add(finalizer);
      return this;
    }

    public Builder project(String project) {
      this.project = project;
      return this;
    }

    public Builder source(ApplicationSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** Makes this a multi-source application ({@code spec.sources}) of these sources, in order. */
    public Builder sources(List<ApplicationSource> sources) {
      this.sources.clear();
      this.sources.addAll(sources);
      if (!sources.isEmpty()) {
        this.source = sources.get(0);
      }
      return this;
    }

    public Builder destination(ApplicationDestination destination) {
      this.destination = Objects.requireNonNull(destination, "destination");
      return this;
    }

    public Builder syncPolicy(SyncPolicy syncPolicy) {
      this.syncPolicy = Objects.requireNonNull(syncPolicy, "syncPolicy");
      return this;
    }

    public Builder ignoreDifference(IgnoreDifference rule) {
      ignoreDifferences.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /** How many {@code status.history} entries to keep (default 10). */
    public Builder revisionHistoryLimit(int limit) {
      this.revisionHistoryLimit = limit;
      return this;
    }

    public Builder info(String name, String value) {
      info.add(new Info(name, value));
      return this;
    }

    /**
     * @throws IllegalStateException when source or destination is not set
     */
    public Application build() {
      if (source == null) {
        throw new IllegalStateException("application " + name + " needs a source");
      }
      if (destination == null) {
        throw new IllegalStateException("application " + name + " needs a destination");
      }
      return new Application(
          name,
          namespace,
          labels,
          annotations,
          finalizers,
          project,
          source,
          destination,
          syncPolicy,
          ignoreDifferences,
          revisionHistoryLimit,
          info,
          sources);
    }
  }

  @Override
  public String toString() {
    return "Application "
        + (namespace.isEmpty() ? "" : namespace + "/")
        + name
        + " ("
        + Redaction.url(source.repoURL())
        + " "
        + source.targetRevision()
        + " "
        + source.path()
        + " -> "
        + destination.namespace()
        + ")";
  }

  /** The destination namespace when set. */
  public Optional<String> destinationNamespace() {
    return destination.namespace().isEmpty()
        ? Optional.empty()
        : Optional.of(destination.namespace());
  }
}
