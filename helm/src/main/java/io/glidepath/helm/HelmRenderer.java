package io.glidepath.helm;

import io.glidepath.core.Utf8;
import io.glidepath.core.render.FileParameter;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.Parameter;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RenderLimitException;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.render.RepositoryPaths;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.values.Values;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlLimits;
import io.glidepath.helm.internal.HelmHooks;
import io.glidepath.helm.internal.HelmProcess;
import io.glidepath.helm.internal.NativeHelm;
import io.glidepath.helm.internal.PrivateFiles;
import io.glidepath.helm.internal.RenderCopy;
import io.glidepath.helm.internal.SchemaReferences;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.node.StringNode;

/**
 * Renders a Helm chart the way {@code helm template} does, with Argo CD's source options.
 *
 * <pre>{@code
 * RenderResult r = HelmRenderer.create().render(
 *     RenderRequest.builder(repoRoot, "apps/trade-service")
 *         .valueFiles("values.yaml", "values-production.yaml")
 *         .parameter("image.tag", "abc123")
 *         .namespace("production")
 *         .build());
 * }</pre>
 *
 * <ul>
 *   <li>Value files are relative to the chart directory, as Argo CD's {@code valueFiles}; each is
 *       checked to lie inside the repository (no {@code ..} escape, no symlink escape, no URL),
 *       read with kubectl's YAML meaning and merged in order by Helm's rules. A missing value file
 *       is an error, or skipped with {@code ignoreMissingValueFiles}. The inline values ({@code
 *       values}/{@code valuesObject}) are merged next; then parameters are applied like {@code
 *       --set}, then the {@code forceString} ones like {@code --set-string}, then file parameters
 *       like {@code --set-file} (the value is the file's text; the file is checked like a value
 *       file). That is the order Argo CD hands them to Helm and Helm applies them in. Helm gets the
 *       merged values as one file, over the chart's own {@code values.yaml}.
 *   <li>The chart's {@code crds/} (and those of unpacked subcharts under {@code charts/}) come
 *       first, as with Argo CD's {@code helm template --include-crds}, unless {@code skipCrds}.
 *   <li>Requested API versions ({@code apiVersions}) cannot be handed to the embedded Helm: a
 *       request for them says so in a warning. {@code skipSchemaValidation} renders a private copy
 *       of the chart without its {@code values.schema.json} files.
 *   <li>The release name defaults to the chart directory's name; the namespace to {@code default},
 *       as with {@code helm template}.
 *   <li>Every symlink in the chart must resolve inside the repository, or the render is refused
 *       before Helm reads anything.
 *   <li>Hook manifests ({@code helm.sh/hook}) are rendered after the others, as {@code helm
 *       template} prints them (the embedded Helm leaves them out; see {@code RenderCopy}); a hook
 *       of a type Helm 3 does not know ({@code crd-install}) is left out with a warning, test hooks
 *       too with {@code skipTests}. The sync planner maps hooks as Argo CD does.
 *   <li>Dependencies of {@code Chart.yaml} that are not vendored in {@code charts/} are fetched
 *       from the request's {@link io.glidepath.core.render.ChartSource} into a private copy, as
 *       {@code helm dependency build} would; value files written {@code $ref/path} are read from
 *       the request's ref checkouts.
 *   <li>Each resource's origin names the template it came from ({@code
 *       apps/trade-service/templates/rollout.yaml}), with the line in the rendered output.
 *   <li>A render never reaches a cluster: {@code lookup} returns an empty map, as with {@code helm
 *       template} and Argo CD, whatever kubeconfig the machine has. A {@code values.schema.json}
 *       (of the chart or of any subchart, packaged or not) may refer only to itself; a {@code $ref}
 *       to a file or a URL is refused with a {@link SchemaReferenceException} before Helm reads
 *       anything, so schema validation never reads a file or the network. The check covers the
 *       chart and, again, the private copy Helm renders (fetched dependencies included).
 *   <li>Each render is bounded in time ({@value #DEFAULT_TIMEOUT_SECONDS} s), output ({@link
 *       #DEFAULT_MAX_OUTPUT_BYTES} bytes) and memory ({@link #DEFAULT_MAX_MEMORY_BYTES} bytes); one
 *       that passes a bound is stopped and reported as a {@link RenderLimitException} naming the
 *       chart ({@link #newBuilder()} sets other bounds).
 * </ul>
 *
 * <p>The embedded Helm engine (a native library) runs in a separate process that Glidepath starts
 * on the first render (a second or two) and keeps for the next ones; its environment holds no
 * cluster credentials, and a render that passes a bound ends it. The library file (and JNA's own
 * native library) is kept in the user's cache directory ({@code ~/.cache/glidepath/helm}; the
 * system property {@code glidepath.helm.libraryCache} names another directory, or {@code off}), so
 * a new process does not copy it out of its jar again. Renders are thread-safe; they run one at a
 * time.
 */
public final class HelmRenderer implements ManifestRenderer {
  /**
   * How long one render may take: {@value #DEFAULT_TIMEOUT_SECONDS} s, as Argo CD's exec timeout.
   */
  public static final long DEFAULT_TIMEOUT_SECONDS = 90;

  /** The most output one render may produce: the YAML reader's input cap (10 MiB). */
  public static final long DEFAULT_MAX_OUTPUT_BYTES = YamlLimits.DEFAULT_MAX_BYTES;

  /** The most memory the render process may use: 1 GiB. */
  public static final long DEFAULT_MAX_MEMORY_BYTES = 1L << 30;

  private static final HelmRenderer INSTANCE = newBuilder().build();

  private final HelmProcess.Limits limits;

  private HelmRenderer(HelmProcess.Limits limits) {
    this.limits = limits;
  }

  /** The renderer with the default bounds (stateless; one instance serves every chart). */
  public static HelmRenderer create() {
    return INSTANCE;
  }

  /** A builder for a renderer with other bounds on time, output and memory. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Bounds of a render. A render that passes one is stopped and reported as a {@link
   * RenderLimitException} naming the chart.
   */
  public static final class Builder {
    private Duration timeout = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    private long maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES;
    private long maxMemoryBytes = DEFAULT_MAX_MEMORY_BYTES;

    private Builder() {}

    /** How long one {@code helm template} may take. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be > 0, but was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The most bytes of manifests one render may produce. */
    public Builder maxOutputBytes(long maxOutputBytes) {
      if (maxOutputBytes < 1) {
        throw new IllegalArgumentException(
            "maxOutputBytes must be >= 1, but was " + maxOutputBytes);
      }
      this.maxOutputBytes = maxOutputBytes;
      return this;
    }

    /**
     * The most resident memory the render process may use (read from {@code /proc}; where there is
     * no {@code /proc}, only time and output are bounded).
     */
    public Builder maxMemoryBytes(long maxMemoryBytes) {
      if (maxMemoryBytes < 64L * 1024 * 1024) {
        throw new IllegalArgumentException(
            "maxMemoryBytes must be >= 64 MiB, but was " + maxMemoryBytes);
      }
      this.maxMemoryBytes = maxMemoryBytes;
      return this;
    }

    public HelmRenderer build() {
      return new HelmRenderer(new HelmProcess.Limits(timeout, maxOutputBytes, maxMemoryBytes));
    }
  }

  @Override
  public String name() {
    return "helm";
  }

  /**
   * Starts the Helm render process that this renderer's renders use, in the background, unless one
   * is running, and returns at once. A render starts it anyway; a caller that knows early that it
   * will render a chart (a command line, before it parses its arguments) calls this so that the
   * process starts and loads the Helm engine while the caller goes on. A process nobody uses is
   * ended when the JVM exits.
   */
  public void prestart() {
    HelmProcess.shared().prestart(limits);
  }

  @Override
  public RenderResult render(RenderRequest request) {
    RepositoryPaths paths = request.paths();
    Path chart = request.appDir();
    String app = paths.relative(chart);
    if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
      throw new RenderException(app + " is not a Helm chart: it has no Chart.yaml", app, null);
    }
    // the Helm process starts and loads its library while this thread prepares the render
    HelmProcess.shared().prestart(limits);
    checkSymlinks(paths, chart);
    SchemaReferences.check(paths, chart, !request.skipSchemaValidation());
    List<String> warnings = new ArrayList<>();
    Values values = mergedValues(request, paths, chart);
    if (!request.apiVersions().isEmpty()) {
      warnings.add(
          "helm.apiVersions "
              + request.apiVersions()
              + " were not applied: the embedded Helm cannot take API versions, so"
              + " .Capabilities.APIVersions holds Helm's built-in list");
    }
    if (!request.kustomize().isEmpty()) {
      warnings.add(
          app + " is a Helm chart: the Kustomize overrides (spec.source.kustomize) were not used");
    }
    String name = HelmErrors.chartName(app, chart);
    String manifests;
    List<Resource> crds;
    try (RenderCopy copy =
        RenderCopy.of(
            chart,
            app,
            request.skipSchemaValidation(),
            values.toYaml(),
            request.charts(),
            Optional.of(paths))) {
      if (copy.copied()) {
        // the copy Helm renders may hold more than the chart: fetched dependencies, unpacked
        // subcharts; every schema left in it is one Helm validates with
        SchemaReferences.check(
            copy.dir(),
            f -> app + "/" + copy.dir().relativize(f).toString().replace('\\', '/'),
            true);
      }
      manifests = copy.restore(template(request, copy.dir(), app, name, copy.values()));
      crds = request.skipCrds() ? List.of() : crds(copy.dir(), app);
    }
    ResourceSet rendered = HelmHooks.order(parse(manifests, app), request.skipTests(), warnings);
    if (!crds.isEmpty()) {
      List<Resource> all = new ArrayList<>(crds);
      rendered.forEach(all::add);
      rendered = ResourceSet.of(all);
    }
    return new RenderResult(rendered, name(), warnings);
  }

  /**
   * The CRDs of the chart's {@code crds/} directory and of its unpacked subcharts' ({@code
   * charts/<name>/crds/}), as {@code helm template --include-crds} (Argo CD's default) puts them
   * first in its output; they are plain manifests, not templates. The embedded Helm leaves them
   * out, so they are read here.
   */
  private static List<Resource> crds(Path chart, String app) {
    List<Resource> out = new ArrayList<>();
    List<Path> dirs = new ArrayList<>();
    dirs.add(chart.resolve("crds"));
    Path subcharts = chart.resolve("charts");
    if (Files.isDirectory(subcharts)) {
      try (Stream<Path> list = Files.list(subcharts)) {
        list.filter(Files::isDirectory).sorted().forEach(d -> dirs.add(d.resolve("crds")));
      } catch (IOException e) {
        throw new RenderException("cannot read " + app + "/charts: " + e.getMessage(), null, e);
      }
    }
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
          String name = file.getFileName().toString();
          if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
            String rel = app + "/" + chart.relativize(file).toString().replace('\\', '/');
            out.addAll(Yaml.readResources(read(file, rel), rel));
          }
        }
      } catch (IOException e) {
        throw new RenderException(
            "cannot read " + app + "/" + chart.relativize(dir) + ": " + e.getMessage(), null, e);
      }
    }
    return out;
  }

  private static Values mergedValues(RenderRequest request, RepositoryPaths paths, Path chart) {
    Path base = paths.root().relativize(chart);
    Values values = Values.empty();
    for (String valueFile : request.valueFiles()) {
      // $ref/path: a file of the multi-source application's ref source, inside its checkout
      RepositoryPaths in = paths;
      Path from = base;
      String file = valueFile;
      if (valueFile.startsWith("$")) {
        int slash = valueFile.indexOf('/');
        String ref = valueFile.substring(1, slash < 0 ? valueFile.length() : slash);
        in =
            request
                .refPaths(ref)
                .orElseThrow(
                    () ->
                        new RenderException(
                            "value file "
                                + valueFile
                                + " names $"
                                + ref
                                + ", but no source has ref: "
                                + ref,
                            valueFile,
                            null));
        from = Path.of("");
        file = slash < 0 ? "" : valueFile.substring(slash + 1);
      }
      if (request.ignoreMissingValueFiles()
          && !Files.exists(in.resolveNew(from, file, "value file"), LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Path resolved = in.resolve(from, file, "value file");
      String name = in == paths ? paths.relative(resolved) : valueFile;
      values = values.merge(Values.parse(read(resolved, name), name));
    }
    values = values.merge(request.inlineValues());
    // Helm applies every --set, then every --set-string, then every --set-file
    for (Parameter p : request.parameters()) {
      if (!p.forceString()) {
        values = values.set(escapeKey(p.name()) + "=" + escapeValue(p.value()));
      }
    }
    for (Parameter p : request.parameters()) {
      if (p.forceString()) {
        values = values.setString(escapeKey(p.name()) + "=" + escapeValue(p.value()));
      }
    }
    for (FileParameter p : request.fileParameters()) {
      Path resolved = paths.resolve(base, p.path(), "file parameter " + p.name());
      if (!Files.isRegularFile(resolved)) {
        throw new RenderException(
            "file parameter " + p.name() + " names " + p.path() + ", which is not a file",
            paths.relative(resolved),
            null);
      }
      values = values.with(p.name(), StringNode.valueOf(read(resolved, paths.relative(resolved))));
    }
    return values;
  }

  private static String read(Path file, String rel) {
    try {
      long max = Yaml.reader().limits().maxBytes();
      if (Files.size(file) > max) {
        throw new RenderException(
            rel + " is larger than the limit of " + max + " bytes", rel, null);
      }
      return Utf8.read(file, rel);
    } catch (IOException e) {
      throw new RenderException("cannot read " + rel + ": " + e.getMessage(), rel, e);
    }
  }

  /** A parameter name is a path already; only a literal comma needs escaping. */
  private static String escapeKey(String name) {
    return name.replace(",", "\\,");
  }

  /** A parameter value is one value: commas and backslashes are literal. */
  private static String escapeValue(String value) {
    return value.replace("\\", "\\\\").replace(",", "\\,");
  }

  private String template(
      RenderRequest request, Path chart, String app, String name, String values) {
    NativeHelm.check();
    Path valuesFile = null;
    try {
      valuesFile = PrivateFiles.newFile("glidepath-values-", ".yaml");
      Files.writeString(valuesFile, values);
      // helm template's default: .Release.Namespace is "default" unless a namespace is given
      HelmProcess.Request call =
          new HelmProcess.Request(
              chart,
              valuesFile,
              request.releaseName(),
              request.namespace().orElse("default"),
              request.kubeVersion(),
              request.skipCrds());
      return HelmProcess.shared().template(call, limits, app, name);
    } catch (HelmProcess.HelmFailedException e) {
      throw new RenderException(
          "helm template failed for " + name + ": " + HelmErrors.explain(e.helmMessage()), app, e);
    } catch (IOException e) {
      throw new RenderException(
          "cannot pass values to Helm for " + name + ": " + e.getMessage(), app, e);
    } finally {
      if (valuesFile != null) {
        try {
          Files.deleteIfExists(valuesFile);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  /** Splits Helm's output at its {@code ---} lines, naming each part by its {@code # Source:}. */
  static ResourceSet parse(String manifests, String app) {
    List<Resource> resources = new ArrayList<>();
    StringBuilder chunk = new StringBuilder();
    String source = app;
    for (String line : manifests.split("\n", -1)) {
      if (line.equals("---")) {
        addChunk(resources, chunk, source);
        chunk.setLength(0);
        source = app;
        continue;
      }
      if (chunk.length() == 0 && line.startsWith("# Source: ")) {
        String path = line.substring("# Source: ".length()).strip();
        int slash = path.indexOf('/');
        source = slash < 0 ? app + "/" + path : app + path.substring(slash);
      }
      chunk.append(line).append('\n');
    }
    addChunk(resources, chunk, source);
    return ResourceSet.of(resources);
  }

  private static void addChunk(List<Resource> into, StringBuilder chunk, String source) {
    if (chunk.toString().isBlank()) {
      return;
    }
    into.addAll(Yaml.readResources(chunk.toString(), source));
  }

  private static void checkSymlinks(RepositoryPaths paths, Path chart) {
    try (Stream<Path> files = Files.walk(chart)) {
      files
          .filter(Files::isSymbolicLink)
          .forEach(link -> paths.checkReal(link, paths.relative(link), "chart file"));
    } catch (IOException e) {
      throw new RenderException(
          "cannot read chart " + paths.relative(chart) + ": " + e.getMessage(), null, e);
    }
  }
}
