package io.glidepath.core.render;

import io.glidepath.core.values.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to render: an application directory inside a repository, and the options Argo CD's {@code
 * spec.source} carries (value files, parameters, release name, namespace, kube version, directory
 * recursion and globs).
 *
 * <pre>{@code
 * RenderRequest req = RenderRequest.builder(repoRoot, "apps/trade-service")
 *     .valueFiles("values.yaml", "values-production.yaml")
 *     .parameter("image.tag", "abc123")
 *     .namespace("production")
 *     .build();
 * }</pre>
 *
 * <p>Value files are relative to the application directory, as Argo CD's {@code valueFiles} are;
 * they may point elsewhere in the repository, never outside it. Thread-safe (immutable).
 */
public final class RenderRequest {
  private final Path repoRoot;
  private final String appPath;
  private final List<String> valueFiles;
  private final List<Parameter> parameters;
  private final String releaseName;
  private final String namespace;
  private final String kubeVersion;
  private final boolean recurse;
  private final String include;
  private final String exclude;
  private final Values inlineValues;
  private final List<FileParameter> fileParameters;
  private final boolean ignoreMissingValueFiles;
  private final boolean skipCrds;
  private final List<String> apiVersions;
  private final boolean skipSchemaValidation;
  private final boolean skipTests;
  private final Map<String, Path> refs;
  private final ChartSource charts;
  private final KustomizeOptions kustomize;
  private final Set<String> inputs;
  private final Map<String, Set<String>> refInputs;
  private final RemoteBaseLoader remoteBases;

  private RenderRequest(Builder b) {
    this.repoRoot = b.repoRoot;
    this.appPath = b.appPath;
    this.valueFiles = List.copyOf(b.valueFiles);
    this.parameters = List.copyOf(b.parameters);
    this.releaseName = b.releaseName;
    this.namespace = b.namespace;
    this.kubeVersion = b.kubeVersion;
    this.recurse = b.recurse;
    this.include = b.include;
    this.exclude = b.exclude;
    this.inlineValues = b.inlineValues;
    this.fileParameters = List.copyOf(b.fileParameters);
    this.ignoreMissingValueFiles = b.ignoreMissingValueFiles;
    this.skipCrds = b.skipCrds;
    this.apiVersions = List.copyOf(b.apiVersions);
    this.skipSchemaValidation = b.skipSchemaValidation;
    this.skipTests = b.skipTests;
    this.refs = Collections.unmodifiableMap(new LinkedHashMap<>(b.refs));
    this.charts = b.charts;
    this.kustomize = b.kustomize;
    this.inputs = b.inputs;
    this.refInputs = Map.copyOf(b.refInputs);
    this.remoteBases = b.remoteBases;
  }

  /**
   * A builder for the application at {@code appPath} (relative to {@code repoRoot}; {@code ""} or
   * {@code "."} for the root itself).
   */
  public static Builder builder(Path repoRoot, String appPath) {
    return new Builder(repoRoot, appPath);
  }

  /** A builder holding this request's values. */
  public Builder newBuilder() {
    Builder b = new Builder(repoRoot, appPath);
    b.valueFiles.addAll(valueFiles);
    b.parameters.addAll(parameters);
    b.releaseName = releaseName;
    b.namespace = namespace;
    b.kubeVersion = kubeVersion;
    b.recurse = recurse;
    b.include = include;
    b.exclude = exclude;
    b.inlineValues = inlineValues;
    b.fileParameters.addAll(fileParameters);
    b.ignoreMissingValueFiles = ignoreMissingValueFiles;
    b.skipCrds = skipCrds;
    b.apiVersions.addAll(apiVersions);
    b.skipSchemaValidation = skipSchemaValidation;
    b.skipTests = skipTests;
    b.refs.putAll(refs);
    b.charts = charts;
    b.kustomize = kustomize;
    b.inputs = inputs;
    b.refInputs.putAll(refInputs);
    b.remoteBases = remoteBases;
    return b;
  }

  public Path repoRoot() {
    return repoRoot;
  }

  /** The application directory relative to the repository root. */
  public String appPath() {
    return appPath;
  }

  /** The application directory, resolved and checked to lie inside the repository. */
  public Path appDir() {
    return paths().resolve(Path.of(""), appPath.isEmpty() ? "." : appPath, "application path");
  }

  /** The path checker for this request's repository. */
  public RepositoryPaths paths() {
    RepositoryPaths paths = RepositoryPaths.of(repoRoot);
    if (inputs == null) {
      return paths;
    }
    String app = Path.of(appPath.isEmpty() ? "." : appPath).normalize().toString();
    inputs.add(app.equals(".") ? "" : app.replace('\\', '/'));
    return paths.recordingTo(inputs);
  }

  public List<String> valueFiles() {
    return valueFiles;
  }

  public List<Parameter> parameters() {
    return parameters;
  }

  /** The release name; defaults to the application directory's name. */
  public String releaseName() {
    if (releaseName != null) {
      return releaseName;
    }
    Path name =
        Path.of(appPath.isEmpty() ? "." : appPath).toAbsolutePath().normalize().getFileName();
    return name == null ? "release" : name.toString();
  }

  public Optional<String> namespace() {
    return Optional.ofNullable(namespace);
  }

  public Optional<String> kubeVersion() {
    return Optional.ofNullable(kubeVersion);
  }

  /** Plain directories: also read subdirectories (Argo CD's {@code directory.recurse}). */
  public boolean recurse() {
    return recurse;
  }

  /** Plain directories: a glob the file path (relative to the app) must match. */
  public Optional<String> include() {
    return Optional.ofNullable(include);
  }

  /** Plain directories: a glob that leaves matching files out. */
  public Optional<String> exclude() {
    return Optional.ofNullable(exclude);
  }

  /**
   * Helm: inline values (Argo CD's {@code values} or {@code valuesObject}), merged over the value
   * files and under the parameters; empty when none.
   */
  public Values inlineValues() {
    return inlineValues;
  }

  /** Helm: {@code --set-file} parameters, applied after every other value. */
  public List<FileParameter> fileParameters() {
    return fileParameters;
  }

  /** Helm: skip value files that do not exist instead of failing. */
  public boolean ignoreMissingValueFiles() {
    return ignoreMissingValueFiles;
  }

  /** Helm: leave out the chart's {@code crds/} directory. */
  public boolean skipCrds() {
    return skipCrds;
  }

  /** Helm: the API versions for {@code .Capabilities.APIVersions} that were asked for. */
  public List<String> apiVersions() {
    return apiVersions;
  }

  /** Helm: do not validate values against the charts' {@code values.schema.json}. */
  public boolean skipSchemaValidation() {
    return skipSchemaValidation;
  }

  /**
   * Helm: leave test hooks ({@code helm.sh/hook: test}) out, as {@code helm template --skip-tests}.
   */
  public boolean skipTests() {
    return skipTests;
  }

  /**
   * Helm, multi-source applications: the checkouts of the application's {@code ref} sources by
   * name. A value file written {@code $name/path} is {@code path} inside the checkout of the source
   * whose {@code ref} is {@code name} (never outside it), as Argo CD reads it.
   */
  public Map<String, Path> refs() {
    return refs;
  }

  /**
   * The path checker for the checkout of the {@code ref} source {@code name}, recording what is
   * read through it when {@link Builder#recordRefInputs} asked for it; empty when no source has
   * that ref.
   *
   * @throws RenderException when the checkout is not an existing directory
   */
  public Optional<RepositoryPaths> refPaths(String name) {
    Path root = refs.get(name);
    if (root == null) {
      return Optional.empty();
    }
    RepositoryPaths paths = RepositoryPaths.of(root);
    Set<String> record = refInputs.get(name);
    return Optional.of(record == null ? paths : paths.recordingTo(record));
  }

  /**
   * Helm: where chart dependencies that are not vendored in {@code charts/} are fetched from
   * (default {@link ChartSource#NONE}: such a dependency is an error naming it).
   */
  public ChartSource charts() {
    return charts;
  }

  /** Kustomize: overrides applied to the overlay before the build ({@link KustomizeOptions}). */
  public KustomizeOptions kustomize() {
    return kustomize;
  }

  /** Kustomize: the loader of remote bases ({@link RemoteBaseLoader#NONE} unless set). */
  public RemoteBaseLoader remoteBases() {
    return remoteBases;
  }

  /** Builds a {@link RenderRequest}; every setter validates at once. */
  public static final class Builder {
    private final Path repoRoot;
    private final String appPath;
    private final List<String> valueFiles = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private String releaseName;
    private String namespace;
    private String kubeVersion;
    private boolean recurse;
    private String include;
    private String exclude;
    private Values inlineValues = Values.empty();
    private final List<FileParameter> fileParameters = new ArrayList<>();
    private boolean ignoreMissingValueFiles;
    private boolean skipCrds;
    private final List<String> apiVersions = new ArrayList<>();
    private boolean skipSchemaValidation;
    private boolean skipTests;
    private final Map<String, Path> refs = new LinkedHashMap<>();
    private ChartSource charts = ChartSource.NONE;
    private KustomizeOptions kustomize = KustomizeOptions.NONE;
    private Set<String> inputs;
    private final Map<String, Set<String>> refInputs = new LinkedHashMap<>();
    private RemoteBaseLoader remoteBases = RemoteBaseLoader.NONE;

    private Builder(Path repoRoot, String appPath) {
      this.repoRoot = Objects.requireNonNull(repoRoot, "repoRoot");
      this.appPath = Objects.requireNonNull(appPath, "appPath");
    }

    public Builder valueFiles(String... files) {
      for (String f : files) {
        valueFiles.add(Objects.requireNonNull(f, "value file"));
      }
      return this;
    }

    public Builder valueFiles(List<String> files) {
      return valueFiles(files.toArray(String[]::new));
    }

    public Builder parameter(String name, String value) {
      parameters.add(Parameter.of(name, value));
      return this;
    }

    public Builder parameter(Parameter parameter) {
      parameters.add(Objects.requireNonNull(parameter, "parameter"));
      return this;
    }

    public Builder parameters(List<Parameter> list) {
      list.forEach(this::parameter);
      return this;
    }

    public Builder releaseName(String name) {
      if (name != null && !name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
        throw new IllegalArgumentException(
            "releaseName must be a DNS-1123 label (lower case, digits, '-'), but was \""
                + name
                + "\"");
      }
      this.releaseName = name;
      return this;
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace == null || namespace.isBlank() ? null : namespace;
      return this;
    }

    public Builder kubeVersion(String kubeVersion) {
      this.kubeVersion = kubeVersion == null || kubeVersion.isBlank() ? null : kubeVersion;
      return this;
    }

    public Builder recurse(boolean recurse) {
      this.recurse = recurse;
      return this;
    }

    public Builder include(String glob) {
      this.include = glob;
      return this;
    }

    public Builder exclude(String glob) {
      this.exclude = glob;
      return this;
    }

    /** Inline Helm values, merged after the value files and before the parameters. */
    public Builder inlineValues(Values values) {
      this.inlineValues = Objects.requireNonNull(values, "inlineValues");
      return this;
    }

    public Builder fileParameter(FileParameter parameter) {
      fileParameters.add(Objects.requireNonNull(parameter, "fileParameter"));
      return this;
    }

    public Builder fileParameters(List<FileParameter> list) {
      list.forEach(this::fileParameter);
      return this;
    }

    public Builder ignoreMissingValueFiles(boolean ignore) {
      this.ignoreMissingValueFiles = ignore;
      return this;
    }

    public Builder skipCrds(boolean skip) {
      this.skipCrds = skip;
      return this;
    }

    public Builder apiVersions(List<String> versions) {
      versions.forEach(v -> apiVersions.add(Objects.requireNonNull(v, "apiVersion")));
      return this;
    }

    public Builder skipSchemaValidation(boolean skip) {
      this.skipSchemaValidation = skip;
      return this;
    }

    public Builder skipTests(boolean skip) {
      this.skipTests = skip;
      return this;
    }

    /**
     * The checkout of the {@code ref} source named {@code name} (without {@code $}), for {@code
     * $name/...} value files.
     */
    public Builder ref(String name, Path root) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(root, "root");
      if (!name.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException(
            "ref must be letters, digits, '-' or '_', but was \"" + name + "\"");
      }
      refs.put(name, root.toAbsolutePath().normalize());
      return this;
    }

    /** Where chart dependencies come from; see {@link RenderRequest#charts()}. */
    public Builder charts(ChartSource charts) {
      this.charts = Objects.requireNonNull(charts, "charts");
      return this;
    }

    public Builder kustomize(KustomizeOptions options) {
      this.kustomize = Objects.requireNonNull(options, "kustomize");
      return this;
    }

    /**
     * Records in {@code inputs} (a thread-safe set) the repository-relative path of every file and
     * directory the render resolves: the application directory, value files (also those missing and
     * ignored), Kustomize bases, components, resources and patch files, symlink targets. A later
     * commit that changes none of them cannot change the render's output, so the render can be kept
     * (what {@code GitDesiredStateSource} does). Not recorded: what the native Helm engine reads by
     * itself below the chart directory (inside the application directory anyway).
     */
    public Builder recordInputs(Set<String> inputs) {
      this.inputs = Objects.requireNonNull(inputs, "inputs");
      return this;
    }

    /**
     * Records in {@code inputs} (a thread-safe set) the path, relative to the checkout of the
     * {@code ref} source {@code name}, of every file read through it ({@code $name/...} value files
     * and their symlink targets): a commit of that source that changes none of them cannot change
     * the render's output.
     */
    public Builder recordRefInputs(String name, Set<String> inputs) {
      refInputs.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(inputs, "inputs"));
      return this;
    }

    /**
     * The loader of Kustomize remote bases ({@link RemoteBaseLoader#NONE} by default). It is used
     * only for the hosts and repositories {@link KustomizeOptions#allowedRemoteBases()} allows.
     */
    public Builder remoteBases(RemoteBaseLoader loader) {
      this.remoteBases = Objects.requireNonNull(loader, "remoteBases");
      return this;
    }

    public RenderRequest build() {
      return new RenderRequest(this);
    }
  }
}
