package io.glidepath.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.Parameter;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.render.RepositoryPaths;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.values.Values;
import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

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
 *       read with kubectl's YAML meaning and merged in order by Helm's rules; parameters are then
 *       applied like {@code --set} (or {@code --set-string} when {@code forceString}). Helm gets
 *       the merged values as one file, over the chart's own {@code values.yaml}.
 *   <li>The release name defaults to the chart directory's name; the namespace to {@code default},
 *       as with {@code helm template}.
 *   <li>Every symlink in the chart must resolve inside the repository, or the render is refused
 *       before Helm reads anything.
 *   <li>{@code helm template} leaves out hook manifests ({@code helm.sh/hook}); when the chart has
 *       hook templates, the result says so in a warning naming them.
 *   <li>Each resource's origin names the template it came from ({@code
 *       apps/trade-service/templates/rollout.yaml}), with the line in the rendered output.
 * </ul>
 *
 * <p>The embedded Helm engine is a native library: it loads on the first render (about a second)
 * and stays loaded for the life of the JVM. Renders are thread-safe; they run one at a time.
 */
public final class HelmRenderer implements ManifestRenderer {
  private static final HelmRenderer INSTANCE = new HelmRenderer();
  private static final ReentrantLock HELM = new ReentrantLock();

  private HelmRenderer() {}

  /** The renderer (stateless; one instance serves every chart). */
  public static HelmRenderer create() {
    return INSTANCE;
  }

  @Override
  public String name() {
    return "helm";
  }

  @Override
  public RenderResult render(RenderRequest request) {
    RepositoryPaths paths = request.paths();
    Path chart = request.appDir();
    String app = paths.relative(chart);
    if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
      throw new RenderException(app + " is not a Helm chart: it has no Chart.yaml", app, null);
    }
    checkSymlinks(paths, chart);
    Values values = mergedValues(request, paths, chart);
    List<String> warnings = new ArrayList<>();
    List<String> hooks = hookTemplates(paths, chart);
    if (!hooks.isEmpty()) {
      warnings.add(
          "chart "
              + app
              + " has Helm hook templates that helm template leaves out, so they are not rendered"
              + " or synced: "
              + String.join(", ", hooks));
    }
    String manifests = template(request, chart, app, values);
    return new RenderResult(parse(manifests, app), name(), warnings);
  }

  private static Values mergedValues(RenderRequest request, RepositoryPaths paths, Path chart) {
    Path base = paths.root().relativize(chart);
    Values values = Values.empty();
    for (String file : request.valueFiles()) {
      Path resolved = paths.resolve(base, file, "value file");
      values =
          values.merge(
              Values.parse(read(resolved, paths.relative(resolved)), paths.relative(resolved)));
    }
    for (Parameter p : request.parameters()) {
      String assignment = escapeKey(p.name()) + "=" + escapeValue(p.value());
      values = p.forceString() ? values.setString(assignment) : values.set(assignment);
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
      return Files.readString(file);
    } catch (IOException e) {
      throw new RenderException("cannot read value file " + rel + ": " + e.getMessage(), rel, e);
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

  private static String template(RenderRequest request, Path chart, String app, Values values) {
    Path valuesFile = null;
    HELM.lock();
    try {
      valuesFile =
          Files.createTempFile(
              "glidepath-values-",
              ".yaml",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(valuesFile, values.toYaml());
      TemplateCommand command =
          new Helm(chart).template().withName(request.releaseName()).withValuesFile(valuesFile);
      // helm template's default: .Release.Namespace is "default" unless a namespace is given
      command.withNamespace(request.namespace().orElse("default"));
      request.kubeVersion().ifPresent(command::withKubeVersion);
      return command.call();
    } catch (IOException e) {
      throw new RenderException(
          "cannot pass values to Helm for " + app + ": " + e.getMessage(), app, e);
    } catch (RuntimeException e) {
      if (e instanceof RenderException re) {
        throw re;
      }
      String message =
          e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
      throw new RenderException("helm template failed for " + app + ": " + message, app, e);
    } finally {
      HELM.unlock();
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

  private static List<String> hookTemplates(RepositoryPaths paths, Path chart) {
    List<String> hooks = new ArrayList<>();
    try (Stream<Path> files = Files.walk(chart)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        String rel = chart.relativize(file).toString().replace('\\', '/');
        if (!(rel.startsWith("templates/") || rel.contains("/templates/"))) {
          continue;
        }
        if (Files.readString(file).contains("helm.sh/hook")) {
          hooks.add(paths.relative(file));
        }
      }
    } catch (IOException e) {
      throw new RenderException(
          "cannot read chart " + paths.relative(chart) + ": " + e.getMessage(), null, e);
    }
    return hooks;
  }
}
